"use client";

import { useSyncExternalStore, type ReactNode } from "react";
import { Toast as RadixToast } from "radix-ui";
import { CircleAlert, CircleCheck, Info, TriangleAlert, X, type LucideIcon } from "lucide-react";
import { cn } from "./cn";

export type ToastTone = "neutral" | "success" | "danger" | "warning" | "info";

export type ToastInput = {
  title: string;
  description?: ReactNode;
  tone?: ToastTone;
  /** Milliseconds; errors stay longer by default because they usually need reading. */
  duration?: number;
};

type ToastItem = ToastInput & { id: number };

// A module-level store lets non-React code (mutation callbacks, query onError) raise toasts.
let items: ToastItem[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const EMPTY: ToastItem[] = [];

function emit() {
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

export function toast(input: ToastInput): number {
  const id = nextId++;
  // Cap the stack so a burst of failures cannot bury the page.
  items = [...items, { ...input, id }].slice(-5);
  emit();
  return id;
}

export function dismissToast(id: number) {
  items = items.filter((item) => item.id !== id);
  emit();
}

export function useToast() {
  return { toast, dismiss: dismissToast };
}

const toneStyles: Record<ToastTone, { icon: LucideIcon; className: string }> = {
  neutral: { icon: Info, className: "text-muted" },
  info: { icon: Info, className: "text-info" },
  success: { icon: CircleCheck, className: "text-success" },
  warning: { icon: TriangleAlert, className: "text-warning" },
  danger: { icon: CircleAlert, className: "text-danger" },
};

/** Renders queued toasts; mount once (Providers does). F8 jumps to the region. */
export function Toaster() {
  const current = useSyncExternalStore(
    subscribe,
    () => items,
    () => EMPTY,
  );

  return (
    <RadixToast.Provider swipeDirection="right">
      {current.map(({ id, title, description, tone = "neutral", duration }) => {
        const { icon: Icon, className } = toneStyles[tone];
        return (
          <RadixToast.Root
            key={id}
            // Errors interrupt the screen reader; everything else waits politely.
            type={tone === "danger" ? "foreground" : "background"}
            duration={duration ?? (tone === "danger" ? 10_000 : 5_000)}
            onOpenChange={(open) => {
              if (!open) dismissToast(id);
            }}
            className={[
              "pointer-events-auto flex w-full items-start gap-3 rounded-lg border",
              "border-border bg-surface p-3 pr-10 text-fg shadow-lg relative data-[swipe=move]:translate-x-(--radix-toast-swipe-move-x)",
            ].join(" ")}
          >
            <Icon aria-hidden="true" className={cn("mt-0.5 size-4 shrink-0", className)} />
            <div className="flex min-w-0 flex-col gap-0.5">
              <RadixToast.Title className="text-sm font-medium">{title}</RadixToast.Title>
              {description ? <RadixToast.Description className="text-sm text-muted">{description}</RadixToast.Description> : null}
            </div>
            <RadixToast.Close
              aria-label="Dismiss notification"
              className={[
                "absolute top-2 right-2 inline-flex size-7 items-center",
                "justify-center rounded-md text-muted hover:bg-surface-muted hover:text-fg focus-visible:outline-2 focus-visible:outline-ring",
              ].join(" ")}
            >
              <X aria-hidden="true" className="size-4" />
            </RadixToast.Close>
          </RadixToast.Root>
        );
      })}
      <RadixToast.Viewport className="fixed right-0 bottom-0 z-[60] m-0 flex w-full max-w-sm list-none flex-col gap-2 p-4 outline-none" />
    </RadixToast.Provider>
  );
}
