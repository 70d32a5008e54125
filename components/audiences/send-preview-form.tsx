import Form from "next/form";
import { Eye } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { AudienceWithMembers } from "@/lib/audiences/queries";
import { CHANNELS, type Channel } from "@/lib/validations/audiences";
import { CHANNEL_COPY, formatCount } from "./copy";

/**
 * A GET form: the URL holds the choice, so it works without JavaScript and a
 * preview can be linked; next/form makes the submit a client navigation.
 */
export function SendPreviewForm({
  audiences,
  audience,
  channel,
}: {
  audiences: AudienceWithMembers[];
  audience?: string;
  channel: Channel;
}) {
  return (
    <Form action="/audiences" aria-label="Choose an audience and a channel" className="flex flex-wrap items-end gap-4">
      <div className="flex min-w-64 flex-col gap-1">
        <Label htmlFor="audience">Audience</Label>
        <Select id="audience" name="audience" defaultValue={audience ?? ""} required>
          <option value="" disabled>
            Choose an audience…
          </option>
          {audiences.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name} ({formatCount(a.members)} {a.members === 1 ? "member" : "members"})
            </option>
          ))}
        </Select>
      </div>
      <fieldset className="flex flex-col gap-1">
        <legend className="mb-1 text-sm font-medium text-fg">Channel</legend>
        <div className="flex h-9 items-center gap-4">
          {CHANNELS.map((c) => (
            <label key={c} className="flex items-center gap-2 text-sm text-fg">
              <input type="radio" name="channel" value={c} defaultChecked={c === channel} className="size-4 accent-accent" />
              {CHANNEL_COPY[c].label}
            </label>
          ))}
        </div>
      </fieldset>
      <Button type="submit">
        <Eye aria-hidden="true" />
        Preview send
      </Button>
    </Form>
  );
}
