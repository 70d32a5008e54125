"use client";

import { useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogFooter } from "@/components/ui/dialog";

/**
 * Asks before leaving the page while `dirty`: the browser's own prompt for a
 * reload, a closed tab or a typed address, and a dialog for the app's links
 * to another page (the App Router has no navigation event to cancel, so
 * clicks on such links are caught on their way down). Links that stay on
 * this page (a filter, a hash) keep the draft and pass.
 */
export function UnsavedChangesGuard({ dirty, what }: { dirty: boolean; what: string }) {
  const router = useRouter();
  const [pendingHref, setPendingHref] = useState<string | null>(null);

  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      event.returnValue = "";
    };
    const onClick = (event: MouseEvent) => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const anchor = (event.target as Element | null)?.closest?.("a[href]");
      if (!(anchor instanceof HTMLAnchorElement) || anchor.target === "_blank" || anchor.hasAttribute("download")) return;
      const url = new URL(anchor.href, window.location.href);
      if (url.origin !== window.location.origin || url.pathname === window.location.pathname) return;
      event.preventDefault();
      event.stopPropagation();
      setPendingHref(url.pathname + url.search + url.hash);
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    document.addEventListener("click", onClick, true);
    return () => {
      window.removeEventListener("beforeunload", onBeforeUnload);
      document.removeEventListener("click", onClick, true);
    };
  }, [dirty]);

  return (
    <Dialog open={pendingHref !== null} onOpenChange={(open) => (open ? undefined : setPendingHref(null))}>
      <DialogContent title="Leave without saving?" description={`${what} will be lost if you leave this page now.`}>
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="secondary">Stay on this page</Button>
          </DialogClose>
          <Button
            variant="danger"
            onClick={() => {
              const href = pendingHref;
              setPendingHref(null);
              if (href) router.push(href);
            }}
          >
            Leave and discard
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
