import type { ComponentProps } from "react";
import { cn } from "./cn";

/**
 * A placeholder block. Hidden from assistive tech; announce loading on the
 * container instead (e.g. aria-busy="true" on the table or region).
 */
export function Skeleton({ className, ...props }: ComponentProps<"div">) {
  return <div aria-hidden="true" className={cn("h-4 rounded bg-surface-muted motion-safe:animate-pulse", className)} {...props} />;
}

export type SkeletonRowsProps = {
  columns: number;
  rows?: number;
  /** Zero-based column indexes that hold numbers, so the placeholder sits on the right like the data will. */
  numericColumns?: readonly number[];
};

/** Placeholder <tr>s for use inside a TBody while data loads. */
export function SkeletonRows({ columns, rows = 5, numericColumns = [] }: SkeletonRowsProps) {
  return (
    <>
      {Array.from({ length: rows }, (_, row) => (
        <tr key={row} aria-hidden="true">
          {Array.from({ length: columns }, (_, col) => (
            <td key={col} className="h-10 border-b border-border px-3">
              <Skeleton
                className={cn(
                  // Vary widths so the rows do not look like a solid grid.
                  (row + col) % 3 === 0 ? "w-3/4" : (row + col) % 3 === 1 ? "w-1/2" : "w-2/3",
                  numericColumns.includes(col) && "ml-auto w-12",
                )}
              />
            </td>
          ))}
        </tr>
      ))}
    </>
  );
}
