import Form from "next/form";
import { Filter } from "lucide-react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Input, Label } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { AUDIT_ACTION_LABEL, AUDIT_ACTIONS } from "@/lib/audit/actions";
import type { AuditFilterField } from "@/lib/audit/params";

const control = "flex flex-col gap-1";
const HINT_ID = "audit-filter-hint";

/** The filters as the URL spells them (dates as YYYY-MM-DD), rejected ones left out. */
export type AuditFilterValues = Partial<Record<AuditFilterField, string>>;

type TextFieldProps = {
  id: AuditFilterField;
  label: string;
  value?: string;
  placeholder?: string;
  type?: string;
  className?: string;
  hinted?: boolean;
};

function TextField({ id, label, value, placeholder, type = "text", className, hinted }: TextFieldProps) {
  return (
    <div className={cn(control, className)}>
      <Label htmlFor={id}>{label}</Label>
      <Input
        id={id}
        name={id}
        type={type}
        defaultValue={value ?? ""}
        placeholder={placeholder}
        autoComplete="off"
        aria-describedby={hinted ? HINT_ID : undefined}
      />
    </div>
  );
}

/**
 * A GET form: the URL holds the whole view (so a filtered log can be linked
 * and exported as is), and it works without JavaScript.
 */
export function AuditFilters({ values }: { values: AuditFilterValues }) {
  return (
    <Form action="/audit" role="search" aria-label="Filter the audit log" className="flex flex-col gap-2">
      <div className="flex flex-wrap items-end gap-2">
        <div className={`${control} min-w-56 flex-1`}>
          <Label htmlFor="actor">Actor</Label>
          <Input
            id="actor"
            name="actor"
            defaultValue={values.actor ?? ""}
            placeholder="Email, API key name or id"
            autoComplete="off"
            maxLength={320}
            aria-describedby={HINT_ID}
          />
        </div>
        <div className={control}>
          <Label htmlFor="action">Action</Label>
          <Select id="action" name="action" defaultValue={values.action ?? ""}>
            <option value="">Any action</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {AUDIT_ACTION_LABEL[a]}
              </option>
            ))}
          </Select>
        </div>
        <TextField id="targetType" label="Target type" value={values.targetType} placeholder="customer" className="w-32" />
        <TextField id="targetId" label="Target id" value={values.targetId} className="min-w-48" />
        <TextField id="from" label="From (UTC)" type="date" value={values.from} hinted />
        <TextField id="to" label="To (UTC)" type="date" value={values.to} hinted />
        <Button type="submit" variant="secondary">
          <Filter aria-hidden="true" />
          Apply filters
        </Button>
        <Button asChild variant="ghost">
          <a href="/audit">Clear</a>
        </Button>
      </div>
      <p id={HINT_ID} className="text-xs text-muted">
        Actor matches an exact id or the start of an email or API key name. Dates are whole days in UTC, both included.
      </p>
    </Form>
  );
}
