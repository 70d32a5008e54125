import Form from "next/form";
import Link from "next/link";
import { Filter } from "lucide-react";
import { ParamErrors } from "@/components/audit/param-errors";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import { SelectField } from "@/components/ui/select";
import { REGIMES } from "@/lib/deletions/deadlines";
import { DELETION_STATUSES } from "@/lib/deletions/status";
import { DEADLINE_STATES, DELETION_PARAM_LABEL, DELETION_SOURCES } from "@/lib/validations/deletion-requests";
import type { ParamError } from "@/lib/validations/search-params";
import { DEADLINE_LOOK, DELETION_STATUS_LOOK, REGIME_LABEL, SOURCE_LABEL } from "./status-badges";

const HINT_ID = "deletion-filter-hint";

/** The filters as the URL spells them, rejected ones left out. */
export type DeletionFilterValues = Partial<Record<"status" | "regime" | "source" | "deadline" | "from" | "to", string>>;

/** A GET form: the URL holds the view, so a filtered list can be linked, and it works without JavaScript. */
export function DeletionFilters({ values }: { values: DeletionFilterValues }) {
  const filtered = Object.values(values).some(Boolean);
  return (
    <Form action="/deletions" role="search" aria-label="Filter deletion requests" className="flex flex-wrap items-end gap-2">
      <SelectField
        id="deadline"
        label="Deadline"
        value={values.deadline ?? ""}
        options={[["", "Any deadline"], ...DEADLINE_STATES.map((s) => [s, DEADLINE_LOOK[s].label] as const)]}
      />
      <SelectField
        id="status"
        label="Status"
        value={values.status ?? ""}
        options={[["", "Any status"], ...DELETION_STATUSES.map((s) => [s, DELETION_STATUS_LOOK[s].label] as const)]}
      />
      <SelectField
        id="regime"
        label="Regime"
        value={values.regime ?? ""}
        options={[["", "Any regime"], ...REGIMES.map((r) => [r, REGIME_LABEL[r]] as const)]}
      />
      <SelectField
        id="source"
        label={DELETION_PARAM_LABEL.source!}
        value={values.source ?? ""}
        options={[["", "Any way"], ...DELETION_SOURCES.map((s) => [s, SOURCE_LABEL[s]] as const)]}
      />
      <div className="flex flex-col gap-1">
        <Label htmlFor="from">Received from (UTC)</Label>
        <Input id="from" name="from" type="date" defaultValue={values.from ?? ""} aria-describedby={HINT_ID} className="w-44" />
      </div>
      <div className="flex flex-col gap-1">
        <Label htmlFor="to">Received before (UTC)</Label>
        <Input id="to" name="to" type="date" defaultValue={values.to ?? ""} aria-describedby={HINT_ID} className="w-44" />
      </div>
      <Button type="submit" variant="secondary">
        <Filter aria-hidden="true" />
        Apply filters
      </Button>
      {filtered ? (
        <Button asChild variant="ghost">
          <Link href="/deletions">Clear</Link>
        </Button>
      ) : null}
      <p id={HINT_ID} className="w-full text-xs text-muted">
        Dates are when each request was received, in UTC: from included, before excluded. Due soon: within 7 days.
      </p>
    </Form>
  );
}

/** Filters the page could not use, each named as the form labels it; the list still shows the rest. */
export function DeletionParamErrors({ errors }: { errors: readonly ParamError[] }) {
  return <ParamErrors errors={errors} labels={DELETION_PARAM_LABEL} />;
}
