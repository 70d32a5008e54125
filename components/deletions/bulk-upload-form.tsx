"use client";

import { useActionState, useEffect } from "react";
import { useRouter } from "next/navigation";
import { Upload } from "lucide-react";
import { Button } from "@/components/ui/button";
import { controlClassName, Field } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { FormAlert } from "@/components/settings/form-alert";
import { APPROVAL_WINDOW_HOURS } from "@/lib/deletions/bulk-approval";
import { APPROVAL_THRESHOLD } from "@/lib/deletions/bulk-labels";
import { uploadDeletionBatch, type UploadResult } from "./upload-batch";
import { FREE_TEXT_HINT } from "@/lib/deletions/free-text";

/**
 * The upload: a CSV file, the regime its deadlines follow, and why. The file
 * goes to the API route (./upload-batch.ts), not a server action; the batch
 * page opens once it is stored.
 */
export function BulkUploadForm({ defaultRegime }: { defaultRegime: "gdpr" | "ccpa" }) {
  const router = useRouter();
  const [state, dispatch, pending] = useActionState<UploadResult | undefined, FormData>(uploadDeletionBatch, undefined);
  useEffect(() => {
    if (state?.ok) router.push(`/deletions/bulk/${state.data.id}`);
  }, [state, router]);
  const error = (name: string) => (state && !state.ok ? state.fieldErrors?.[name] : undefined);
  const general = state && !state.ok && !state.fieldErrors ? state.error : undefined;

  return (
    <form
      action={dispatch}
      className="flex flex-col gap-4 rounded-lg border border-border bg-surface p-4"
      aria-label="Upload a bulk deletion"
    >
      <h2 className="text-sm font-semibold text-fg">Upload a CSV</h2>
      <FormAlert message={general} />
      <div className="grid gap-4 md:grid-cols-[2fr_1fr]">
        <Field
          id="bulk-file"
          label="CSV file"
          required
          error={error("file")}
          hint={
            `One external id or email per line, optionally under a header "external_id" or "email". Up to 5 MB and 100,000 rows. ` +
            `Past ${APPROVAL_THRESHOLD} customers in ${APPROVAL_WINDOW_HOURS} hours (your uploads together), a second privacy officer or admin must approve it.`
          }
        >
          <input
            type="file"
            name="file"
            accept=".csv,text/csv"
            required
            className={`${controlClassName} py-1.5 file:mr-3 file:rounded file:border-0 file:bg-surface-muted file:px-2 file:text-sm file:text-fg`}
          />
        </Field>
        <Field id="bulk-regime" label="Regime" required error={error("regime")} hint="Sets each request's due date.">
          <Select name="regime" defaultValue={defaultRegime}>
            <option value="gdpr">GDPR (one month)</option>
            <option value="ccpa">CCPA (45 days)</option>
          </Select>
        </Field>
      </div>
      <Field
        id="bulk-reason"
        label="Reason"
        error={error("reason")}
        hint={`Kept with the batch, e.g. where the list came from. ${FREE_TEXT_HINT}`}
      >
        <input name="reason" maxLength={500} className={controlClassName} />
      </Field>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" pending={pending}>
          {pending ? null : <Upload aria-hidden="true" />}
          {pending ? "Uploading…" : "Upload"}
        </Button>
        <span role="status" className="text-xs text-muted">
          {pending ? "Reading the file and finding each customer…" : null}
        </span>
      </div>
    </form>
  );
}
