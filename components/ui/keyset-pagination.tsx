import Link from "next/link";
import { ChevronLeft, ChevronRight } from "lucide-react";
import { Button } from "./button";

/** A list URL with its filters kept and one page cursor set. */
export function pageHref(path: string, filters: Record<string, string>, cursor: { after?: string; before?: string }) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v && k !== "after" && k !== "before") query.set(k, v);
  if (cursor.after) query.set("after", cursor.after);
  if (cursor.before) query.set("before", cursor.before);
  return `${path}?${query.toString()}`;
}

/** Previous / Next links for a keyset-paged list; a link shows only when that page exists. */
export function KeysetPagination({
  path,
  filters,
  previous,
  next,
}: {
  path: string;
  filters: Record<string, string>;
  previous?: string;
  next?: string;
}) {
  return (
    <nav aria-label="Pagination" className="flex items-center justify-end gap-2">
      {previous ? (
        <Button asChild variant="secondary" size="sm">
          <Link href={pageHref(path, filters, { before: previous })} rel="prev">
            <ChevronLeft aria-hidden="true" /> Previous
          </Link>
        </Button>
      ) : null}
      {next ? (
        <Button asChild variant="secondary" size="sm">
          <Link href={pageHref(path, filters, { after: next })} rel="next">
            Next <ChevronRight aria-hidden="true" />
          </Link>
        </Button>
      ) : null}
    </nav>
  );
}
