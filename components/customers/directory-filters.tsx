import Link from "next/link";
import Form from "next/form";
import { Search } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import { SelectField } from "@/components/ui/select";
import { PURPOSES, PURPOSE_INFO } from "@/lib/consent/purposes";
import type { IntegrationVendor } from "@/lib/customers/consent-summary";
import type { DirectoryParams } from "@/lib/validations/directory";

interface Props {
  params: DirectoryParams;
  audiences: Array<{ id: string; name: string }>;
  vendors: readonly IntegrationVendor[];
}

const control = "flex flex-col gap-1";

/** Each URL parameter by the label a person sees for it here (for messages about a parameter). */
const PARAM_LABEL = {
  q: "Search",
  field: "In",
  match: "Match",
  consent: "Consent",
  purpose: "Purpose",
  purposeState: "Purpose is",
  vendor: "Vendor",
  vendorState: "Vendor is",
  audience: "Audience",
  sort: "Sort",
  after: "Page",
  before: "Page",
} as const;

export function directoryParamLabel(field: string): string {
  return Object.hasOwn(PARAM_LABEL, field) ? PARAM_LABEL[field as keyof typeof PARAM_LABEL] : field;
}
const STATES = [
  ["blocked", "Blocked"],
  ["allowed", "Allowed"],
] as const;

/**
 * A GET form: the URL holds the whole state, it works without JavaScript, and
 * next/form turns submits into client navigations when JavaScript is there.
 */
export function DirectoryFilters({ params, audiences, vendors }: Props) {
  return (
    <Form action="/customers" role="search" aria-label="Search and filter customers" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end gap-2">
        <div className={`${control} min-w-64 flex-1`}>
          <Label htmlFor="q">{PARAM_LABEL.q}</Label>
          <Input
            id="q"
            name="q"
            type="search"
            defaultValue={params.q ?? ""}
            placeholder="Email, name, phone or external id"
            autoComplete="off"
            maxLength={200}
            aria-describedby="q-hint"
          />
        </div>
        <SelectField
          id="field"
          label={PARAM_LABEL.field}
          value={params.field}
          options={[
            ["auto", "Detect"],
            ["email", "Email"],
            ["name", "Name"],
            ["phone", "Phone"],
            ["external_id", "External id"],
          ]}
        />
        <SelectField
          id="match"
          label={PARAM_LABEL.match}
          value={params.match}
          options={[
            ["prefix", "Starts with"],
            ["exact", "Exactly"],
          ]}
        />
        <Button type="submit">
          <Search aria-hidden="true" />
          Search
        </Button>
      </div>
      <p id="q-hint" className="text-xs text-muted">
        “Detect” searches email when the text has an @, phone for digits, otherwise name. Press Enter to search.
      </p>
      <fieldset className="flex flex-wrap items-end gap-2">
        <legend className="sr-only">Filters</legend>
        <SelectField
          id="consent"
          label={PARAM_LABEL.consent}
          value={params.consent ?? ""}
          options={[
            ["", "Any"],
            ["recorded", "Recorded"],
            ["not_recorded", "Not recorded"],
          ]}
        />
        <SelectField
          id="purpose"
          label={PARAM_LABEL.purpose}
          value={params.purpose?.purpose ?? ""}
          options={[["", "Any purpose"], ...PURPOSES.map((p) => [p, PURPOSE_INFO[p].label] as const)]}
        />
        <SelectField id="purposeState" label={PARAM_LABEL.purposeState} value={params.purpose?.state ?? "blocked"} options={STATES} />
        <SelectField
          id="vendor"
          label={PARAM_LABEL.vendor}
          value={params.vendor?.vendor ?? ""}
          options={[["", "Any vendor"], ...vendors.map((v) => [v.vendor, v.name] as const)]}
        />
        <SelectField id="vendorState" label={PARAM_LABEL.vendorState} value={params.vendor?.state ?? "blocked"} options={STATES} />
        <SelectField
          id="audience"
          label={PARAM_LABEL.audience}
          value={params.audience ?? ""}
          options={[["", "Any audience"], ...audiences.map((a) => [a.id, a.name] as const)]}
        />
        <SelectField
          id="sort"
          label={PARAM_LABEL.sort}
          value={params.sort ?? ""}
          options={[
            ["", params.q ? "Best match (A–Z)" : "Newest first"],
            ["newest", "Newest first"],
            ["oldest", "Oldest first"],
            ["name", "Name A–Z"],
            ["email", "Email A–Z"],
          ]}
        />
        <Button type="submit" variant="secondary">
          Apply filters
        </Button>
        <Button asChild variant="ghost">
          <Link href="/customers">Clear</Link>
        </Button>
      </fieldset>
    </Form>
  );
}
