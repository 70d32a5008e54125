import Form from "next/form";
import Link from "next/link";
import { Filter } from "lucide-react";
import { ParamErrors } from "@/components/audit/param-errors";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { DELIVERY_PARAM_LABEL, SIGNAL_KINDS, SIGNAL_STATUSES } from "@/lib/validations/deliveries";
import type { ParamError } from "@/lib/validations/search-params";
import { KIND_LABEL, SIGNAL_STATUS } from "./status-badges";

const HINT_ID = "delivery-filter-hint";

/** The filters as the URL spells them, rejected ones left out. */
export type DeliveryFilterValues = Partial<Record<"status" | "kind" | "from" | "to", string>>;

/** A GET form: the URL holds the view, so a filtered log can be linked, and it works without JavaScript. */
export function DeliveryFilters({ integrationId, values }: { integrationId: string; values: DeliveryFilterValues }) {
  const filtered = Object.values(values).some(Boolean);
  return (
    <Form
      action={`/integrations/${integrationId}`}
      role="search"
      aria-label="Filter the delivery log"
      className="flex flex-wrap items-end gap-2"
    >
      <div className="flex flex-col gap-1">
        <Label htmlFor="status">Status</Label>
        <Select id="status" name="status" defaultValue={values.status ?? ""}>
          <option value="">Any status</option>
          {SIGNAL_STATUSES.map((s) => (
            <option key={s} value={s}>
              {SIGNAL_STATUS[s].label}
            </option>
          ))}
        </Select>
      </div>
      <div className="flex flex-col gap-1">
        <Label htmlFor="kind">Kind</Label>
        <Select id="kind" name="kind" defaultValue={values.kind ?? ""}>
          <option value="">Any kind</option>
          {SIGNAL_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABEL[k]}
            </option>
          ))}
        </Select>
      </div>
      <div className="flex flex-col gap-1">
        <Label htmlFor="from">Queued from (UTC)</Label>
        <Input id="from" name="from" type="datetime-local" defaultValue={values.from ?? ""} aria-describedby={HINT_ID} className="w-56" />
      </div>
      <div className="flex flex-col gap-1">
        <Label htmlFor="to">Queued until (UTC)</Label>
        <Input id="to" name="to" type="datetime-local" defaultValue={values.to ?? ""} aria-describedby={HINT_ID} className="w-56" />
      </div>
      <Button type="submit" variant="secondary">
        <Filter aria-hidden="true" />
        Apply filters
      </Button>
      {filtered ? (
        <Button asChild variant="ghost">
          <Link href={`/integrations/${integrationId}`}>Clear</Link>
        </Button>
      ) : null}
      <p id={HINT_ID} className="w-full text-xs text-muted">
        Times are when each signal was queued, in UTC: from included, until excluded.
      </p>
    </Form>
  );
}

/** Filters the page could not use, each named as the form labels it; the log still shows the rest. */
export function DeliveryParamErrors({ errors }: { errors: readonly ParamError[] }) {
  return <ParamErrors errors={errors} labels={DELIVERY_PARAM_LABEL} />;
}
