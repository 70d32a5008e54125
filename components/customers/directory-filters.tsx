import Form from "next/form";
import { Search } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { PURPOSES, PURPOSE_INFO } from "@/lib/consent/purposes";
import type { DirectoryParams } from "@/lib/validations/directory";

interface Props {
  params: DirectoryParams;
  audiences: Array<{ id: string; name: string }>;
  vendors: string[];
}

const control = "flex flex-col gap-1";

/**
 * A GET form: the URL holds the whole state, it works without JavaScript, and
 * next/form turns submits into client navigations when JavaScript is there.
 */
export function DirectoryFilters({ params, audiences, vendors }: Props) {
  return (
    <Form action="/customers" role="search" aria-label="Search and filter customers" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end gap-2">
        <div className={`${control} min-w-64 flex-1`}>
          <Label htmlFor="q">Search</Label>
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
        <div className={control}>
          <Label htmlFor="field">In</Label>
          <Select id="field" name="field" defaultValue={params.field}>
            <option value="auto">Detect</option>
            <option value="email">Email</option>
            <option value="name">Name</option>
            <option value="phone">Phone</option>
            <option value="external_id">External id</option>
          </Select>
        </div>
        <div className={control}>
          <Label htmlFor="match">Match</Label>
          <Select id="match" name="match" defaultValue={params.match}>
            <option value="prefix">Starts with</option>
            <option value="exact">Exactly</option>
          </Select>
        </div>
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
        <div className={control}>
          <Label htmlFor="consent">Consent</Label>
          <Select id="consent" name="consent" defaultValue={params.consent ?? ""}>
            <option value="">Any</option>
            <option value="recorded">Recorded</option>
            <option value="not_recorded">Not recorded</option>
          </Select>
        </div>
        <div className={control}>
          <Label htmlFor="purpose">Purpose</Label>
          <Select id="purpose" name="purpose" defaultValue={params.purpose?.purpose ?? ""}>
            <option value="">Any purpose</option>
            {PURPOSES.map((p) => (
              <option key={p} value={p}>
                {PURPOSE_INFO[p].label}
              </option>
            ))}
          </Select>
        </div>
        <div className={control}>
          <Label htmlFor="purposeState">Purpose is</Label>
          <Select id="purposeState" name="purposeState" defaultValue={params.purpose?.state ?? "blocked"}>
            <option value="blocked">Blocked</option>
            <option value="allowed">Allowed</option>
          </Select>
        </div>
        <div className={control}>
          <Label htmlFor="vendor">Vendor</Label>
          <Select id="vendor" name="vendor" defaultValue={params.vendor?.vendor ?? ""}>
            <option value="">Any vendor</option>
            {vendors.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </Select>
        </div>
        <div className={control}>
          <Label htmlFor="vendorState">Vendor is</Label>
          <Select id="vendorState" name="vendorState" defaultValue={params.vendor?.state ?? "blocked"}>
            <option value="blocked">Blocked</option>
            <option value="allowed">Allowed</option>
          </Select>
        </div>
        <div className={control}>
          <Label htmlFor="audience">Audience</Label>
          <Select id="audience" name="audience" defaultValue={params.audience ?? ""}>
            <option value="">Any audience</option>
            {audiences.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </Select>
        </div>
        <div className={control}>
          <Label htmlFor="sort">Sort</Label>
          <Select id="sort" name="sort" defaultValue={params.sort ?? ""}>
            <option value="">{params.q ? "Best match (A–Z)" : "Newest first"}</option>
            <option value="newest">Newest first</option>
            <option value="oldest">Oldest first</option>
            <option value="name">Name A–Z</option>
            <option value="email">Email A–Z</option>
          </Select>
        </div>
        <Button type="submit" variant="secondary">
          Apply filters
        </Button>
        <Button asChild variant="ghost">
          <a href="/customers">Clear</a>
        </Button>
      </fieldset>
    </Form>
  );
}
