import type { ReactNode } from "react";
import type { LucideIcon } from "lucide-react";
import { cn } from "./cn";

export type EmptyStateProps = {
  icon?: LucideIcon;
  title: string;
  description?: ReactNode;
  /** Usually a <Button> or <Button asChild><Link/></Button>. */
  action?: ReactNode;
  /** Heading level for the title: h2 under a PageHeader, h1 when the page has no other heading. */
  titleAs?: "h1" | "h2" | "h3";
  className?: string;
};

export function EmptyState({ icon: Icon, title, description, action, titleAs: Heading = "h2", className }: EmptyStateProps) {
  return (
    <div
      className={cn(
        "flex flex-col items-center justify-center gap-3 rounded-lg border border-dashed border-border bg-surface px-6 py-12 text-center",
        className,
      )}
    >
      {Icon ? (
        <span className="flex size-10 items-center justify-center rounded-full bg-surface-muted text-muted">
          <Icon aria-hidden="true" className="size-5" />
        </span>
      ) : null}
      <Heading className="text-base font-semibold text-fg">{title}</Heading>
      {description ? <div className="max-w-md text-sm text-muted [&>p+p]:mt-2">{description}</div> : null}
      {action ? <div className="mt-2 flex flex-wrap items-center justify-center gap-2">{action}</div> : null}
    </div>
  );
}
