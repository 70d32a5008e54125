import { CircleMinus, EyeOff, Archive } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import type { DeletionPreview } from "@/lib/deletions/preview";
import { fieldLabel } from "@/lib/deletions/field-labels";

// The retention policy (lib/deletions/retention.ts) as the delete dialog shows
// it: each table the customer has rows in, and what becomes of each field.

const ACTION = {
  erase: { label: "Erased", tone: "danger", icon: CircleMinus },
  anonymise: { label: "Anonymised", tone: "warning", icon: EyeOff },
  keep: { label: "Kept", tone: "neutral", icon: Archive },
} as const;

type Props = Pick<DeletionPreview, "retention" | "keptTotals">;

export function DeletionRetention({ retention, keptTotals }: Props) {
  return (
    <section aria-labelledby="deletion-retention-heading" className="flex flex-col gap-2">
      <h3 id="deletion-retention-heading" className="text-sm font-semibold text-fg">
        What is erased, anonymised or kept, and why
      </h3>
      <details className="rounded-md border border-border bg-surface-muted/40 px-3 py-2 text-sm">
        <summary className="cursor-pointer font-medium text-fg">The retention policy, table by table</summary>
        <div className="mt-2 flex flex-col gap-3">
          {retention.map((table) => (
            <div key={table.table}>
              <h4 className="font-medium text-fg">{table.label}</h4>
              <p className="text-xs text-muted">{table.rows}</p>
              {table.fields.length > 0 ? (
                <ul className="mt-1 flex flex-col gap-1">
                  {table.fields.map((f) => {
                    const action = ACTION[f.action];
                    return (
                      <li key={f.column} className="flex flex-wrap items-baseline gap-x-2 text-xs">
                        <span className="font-medium text-fg">{fieldLabel(f.column)}</span>
                        <Badge tone={action.tone} icon={action.icon}>
                          {action.label}
                        </Badge>
                        <span className="text-muted">{f.action === "anonymise" ? `${f.how} ${f.why}` : f.why}</span>
                      </li>
                    );
                  })}
                </ul>
              ) : null}
            </div>
          ))}
        </div>
      </details>
      <h3 className="text-sm font-semibold text-fg">Reporting totals that stay</h3>
      <ul className="flex list-disc flex-col gap-1 pl-5 text-sm text-muted" aria-label="Reporting totals that stay">
        {keptTotals.map((t) => (
          <li key={t.label}>
            <span className="text-fg">{t.label}</span>: {t.detail}
          </li>
        ))}
      </ul>
    </section>
  );
}
