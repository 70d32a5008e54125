"use client";

import type { ComponentProps, ReactNode } from "react";
import { Dialog as RadixDialog } from "radix-ui";
import { X } from "lucide-react";
import { cn } from "./cn";

export const Dialog = RadixDialog.Root;
/** Use with asChild around a <Button> so the trigger keeps button styling. */
export const DialogTrigger = RadixDialog.Trigger;
export const DialogClose = RadixDialog.Close;

export type DialogContentProps = Omit<ComponentProps<typeof RadixDialog.Content>, "title"> & {
  /** Required: becomes the dialog's accessible name. */
  title: ReactNode;
  /** Required: announced with the title, so say what will happen. */
  description: ReactNode;
  /** Hide the top-right close button (Escape still closes). */
  hideClose?: boolean;
};

export function DialogContent({ title, description, hideClose, className, children, ...props }: DialogContentProps) {
  return (
    <RadixDialog.Portal>
      <RadixDialog.Overlay className="fixed inset-0 z-40 bg-black/60" />
      <RadixDialog.Content
        className={cn(
          "fixed top-1/2 left-1/2 z-50 flex max-h-[85dvh] w-[calc(100vw-2rem)] max-w-lg -translate-x-1/2 -translate-y-1/2",
          "flex-col gap-4 overflow-y-auto rounded-lg border border-border bg-surface p-5 text-fg shadow-xl",
          "focus-visible:outline-2 focus-visible:outline-ring",
          className,
        )}
        {...props}
      >
        <div className="flex flex-col gap-1 pr-8">
          <RadixDialog.Title className="text-base font-semibold text-fg">{title}</RadixDialog.Title>
          <RadixDialog.Description className="text-sm text-muted">{description}</RadixDialog.Description>
        </div>
        {children}
        {hideClose ? null : (
          <RadixDialog.Close
            aria-label="Close"
            className={[
              "absolute top-3 right-3 inline-flex size-8 items-center",
              "justify-center rounded-md text-muted hover:bg-surface-muted hover:text-fg focus-visible:outline-2 focus-visible:outline-ring",
            ].join(" ")}
          >
            <X aria-hidden="true" className="size-4" />
          </RadixDialog.Close>
        )}
      </RadixDialog.Content>
    </RadixDialog.Portal>
  );
}

/** Right-aligned action row; put the confirming (or destructive) button last. */
export function DialogFooter({ className, ...props }: ComponentProps<"div">) {
  return <div className={cn("mt-2 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end", className)} {...props} />;
}
