import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { Badge } from "@/components/ui/badge";
import { fieldLabel } from "@/lib/deletions/field-labels";
import type { customerRetention } from "@/lib/deletions/retention";

// The retention policy an erasure applies (lib/deletions/retention.ts), as the
// request page and the receipt show it: per table, what became of each field and why.

type Policy = ReturnType<typeof customerRetention>;

const ACTION_LABEL = { erase: "Erased", anonymise: "Anonymised", keep: "Kept" } as const;
const ACTION_TONE = { erase: "danger", anonymise: "warning", keep: "neutral" } as const;

export function RetentionPolicy({ policy, headingId, headingLevel = 2 }: { policy: Policy; headingId: string; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <section aria-labelledby={headingId} className="flex flex-col gap-3">
      <Heading id={headingId} className="text-base font-semibold text-fg">
        Retention policy applied
      </Heading>
      <p className="text-sm text-muted">What the erasure left of the customer in each place their data was stored, and the reason.</p>
      <Table label="Retention policy applied" wrapperClassName="max-h-none print:overflow-visible">
        <THead>
          <TR>
            <TH>Where</TH>
            <TH>Field</TH>
            <TH>What became of it</TH>
            <TH>Why</TH>
          </TR>
        </THead>
        <TBody>
          {policy.flatMap((table) =>
            table.fields.map((field, i) => (
              <TR key={`${table.table}.${field.column}`} className="align-top">
                {i === 0 ? (
                  <TD rowSpan={table.fields.length} className="align-top">
                    <div className="font-medium">{table.label}</div>
                    <div className="max-w-64 text-xs text-muted">{table.rows}</div>
                  </TD>
                ) : null}
                <TD className="align-top">{fieldLabel(field.column)}</TD>
                <TD className="align-top">
                  <Badge tone={ACTION_TONE[field.action]}>{ACTION_LABEL[field.action]}</Badge>
                  {field.action === "anonymise" ? <div className="text-xs text-muted">{field.how}</div> : null}
                </TD>
                <TD className="max-w-96 align-top text-xs">{field.why}</TD>
              </TR>
            )),
          )}
        </TBody>
      </Table>
    </section>
  );
}
