"use client";

import { useEffect } from "react";
import { useRouter } from "next/navigation";

/** While the request is still notifying its integrations, the page refreshes itself (server data, no reload) every few seconds. */
export function RequestAutoRefresh({ active, intervalMs = 5_000 }: { active: boolean; intervalMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") router.refresh();
    }, intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs, router]);
  return active ? (
    <p className="text-xs text-muted" role="status">
      Still notifying integrations: this page updates by itself.
    </p>
  ) : null;
}
