import type { ComponentProps } from "react";
import { cn } from "./cn";

export type TableProps = ComponentProps<"table"> & {
  /** Accessible name for the table and its scroll region (rendered as a visually hidden caption). */
  label: string;
  /**
   * Classes for the scrolling wrapper. It scrolls on both axes so the sticky
   * header sticks within it; cap its height (default max-h-[70dvh]) to taste.
   */
  wrapperClassName?: string;
};

export function Table({ label, wrapperClassName, className, children, ...props }: TableProps) {
  return (
    // Focusable so keyboard users can scroll it (axe: scrollable-region-focusable).
    <div
      role="region"
      aria-label={label}
      tabIndex={0}
      className={cn(
        "relative max-h-[70dvh] overflow-auto rounded-lg border border-border bg-surface",
        "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring",
        wrapperClassName,
      )}
    >
      {/* separate + spacing-0 keeps cell borders visible on the sticky header row. */}
      <table className={cn("w-full border-separate border-spacing-0 text-sm", className)} {...props}>
        <caption className="sr-only">{label}</caption>
        {children}
      </table>
    </div>
  );
}

export function THead({ className, ...props }: ComponentProps<"thead">) {
  return <thead className={cn("text-left", className)} {...props} />;
}

export function TBody({ className, ...props }: ComponentProps<"tbody">) {
  return <tbody className={cn("[&>tr:last-child>td]:border-b-0", className)} {...props} />;
}

export function TR({ className, ...props }: ComponentProps<"tr">) {
  return <tr className={cn("hover:bg-surface-muted/60", className)} {...props} />;
}

type CellAlign = { numeric?: boolean };

export function TH({ numeric, className, scope = "col", ...props }: ComponentProps<"th"> & CellAlign) {
  return (
    <th
      scope={scope}
      className={cn(
        // Sticky on the cells rather than <thead> for consistent browser support.
        "sticky top-0 z-10 h-9 border-b border-border bg-surface-muted px-3 text-xs font-medium whitespace-nowrap text-muted",
        numeric ? "text-right" : "text-left",
        className,
      )}
      {...props}
    />
  );
}

export function TD({ numeric, className, ...props }: ComponentProps<"td"> & CellAlign) {
  return (
    <td
      className={cn("h-10 border-b border-border px-3 align-middle text-fg", numeric && "text-right tabular-nums", className)}
      {...props}
    />
  );
}
