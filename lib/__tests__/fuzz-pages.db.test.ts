import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAuditEntries } from "../audit/queries.ts";
import { AuditParamsSchema, parseAuditParams } from "../audit/params.ts";
import { getSendPreview, listPreviewMembers } from "../audiences/send-preview.ts";
import { consentAsOf, listConsentHistory } from "../consent/history.ts";
import { signalFatesForChanges, toldAsOf } from "../consent/told.ts";
import { listCustomers } from "../customers/directory.ts";
import { getCustomerProfile } from "../customers/profile.ts";
import { getDeletionPreview } from "../deletions/preview.ts";
import { getSignalDetail, listDeliveries } from "../integrations/deliveries.ts";
import { getIntegrationStatus } from "../integrations/status.ts";
import { deletionRequestAudit, getDeletionReceipt, getDeletionRequest, listDeletionRequests } from "../deletions/queries.ts";
import { DeletionListPageParamsSchema, parseDeletionListPageParams } from "../validations/deletion-requests.ts";
import { getDeletionBatch, listDeletionBatchRows } from "../deletions/batches.ts";
import { BatchPageParamsSchema, parseBatchPageParams } from "../validations/deletion-batches.ts";
import { BAD_PARAM_VALUES, BAD_TEXT, PROTOTYPE_KEYS, repeatedValues } from "../testing/bad-input.ts";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";
import { parseSendPreviewPageParams, SendPreviewPageParamsSchema } from "../validations/audiences.ts";
import { safeNextPath } from "../validations/auth.ts";
import { HistoryPageParamsSchema, parseHistoryPageParams } from "../validations/consent-history.ts";
import { DeliveryPageParamsSchema, parseDeliveryPageParams } from "../validations/deliveries.ts";
import { DirectoryParamsSchema, parseDirectoryParams } from "../validations/directory.ts";
import type { ParamError, SearchParamsInput } from "../validations/search-params.ts";
import { rowCounts } from "../testing/surface.ts";

// Every page's dynamic segments and search parameters get the bad-input
// corpus, through the same parse and data functions the page calls: a bad
// value becomes a named parameter message, the data functions never throw
// (a throw is the page's "This page couldn't load"), and nothing is written.

const CUSTOMER_ID = "00000000-0000-4000-8000-0000000f0a9e";
const AUDIENCE_ID = "00000000-0000-4000-8000-0000000f0a9f";
const INTEGRATION_ID = "00000000-0000-4000-8000-0000000f0aa0";
const BATCH_ID = "00000000-0000-4000-8000-0000000f0aa1";

type Page = {
  /** The parameters the page reads, each fuzzed in turn. */
  params: readonly string[];
  /** The schema the page parses them with: its keys must be `params` (null: the page reads them without one, as sign-in's `next`). */
  schema: z.ZodType | null;
  /** The page's parse and data calls; returns the parameter errors it would show. */
  render: (raw: SearchParamsInput) => Promise<readonly ParamError[]>;
  /** For app/.../[segment]/page.tsx: the loader of the segment (null: the page answers 404). */
  segment?: (value: string) => Promise<unknown>;
};
const PAGES: Record<string, Page | { noInput: string; segment?: (value: string) => Promise<unknown> }> = {
  "app/(dashboard)/customers/page.tsx": {
    schema: DirectoryParamsSchema,
    params: ["q", "field", "match", "consent", "purpose", "purposeState", "vendor", "vendorState", "audience", "sort", "after", "before"],
    render: async (raw) => {
      const parsed = parseDirectoryParams(raw);
      await listCustomers(parsed.params);
      return parsed.ok ? [] : parsed.errors;
    },
  },
  "app/(dashboard)/customers/[id]/page.tsx": {
    schema: HistoryPageParamsSchema,
    params: ["historyPurpose", "asOf", "historyBefore"],
    render: async (raw) => {
      const { params, errors } = parseHistoryPageParams(raw);
      const page = await listConsentHistory(CUSTOMER_ID, { purpose: params.purpose, before: params.before, asOf: params.asOf });
      await signalFatesForChanges(
        CUSTOMER_ID,
        page.entries.map((e) => e.id),
      );
      if (params.asOf) await Promise.all([consentAsOf(CUSTOMER_ID, params.asOf), toldAsOf(CUSTOMER_ID, params.asOf)]);
      await getDeletionPreview(CUSTOMER_ID);
      return errors;
    },
    // The delete dialog's preview too (for those who may delete): null, like the profile, for a bad id.
    segment: async (id) => (await getDeletionPreview(id)) ?? getCustomerProfile(id),
  },
  "app/(dashboard)/audiences/page.tsx": {
    schema: SendPreviewPageParamsSchema,
    params: ["audience", "channel", "status", "after", "before"],
    render: async (raw) => {
      const { params, errors } = parseSendPreviewPageParams(raw);
      const channel = params.channel ?? "email";
      await getSendPreview(params.audience ?? AUDIENCE_ID, channel);
      await listPreviewMembers(params.audience ?? AUDIENCE_ID, channel, {
        status: params.status,
        after: params.after,
        before: params.before,
      });
      return errors;
    },
  },
  "app/(dashboard)/audit/page.tsx": {
    schema: AuditParamsSchema,
    params: ["actor", "action", "targetType", "targetId", "from", "to", "after", "before"],
    render: async (raw) => {
      const parsed = parseAuditParams(raw);
      await listAuditEntries(parsed.params);
      return parsed.ok ? [] : parsed.errors;
    },
  },
  "app/(auth)/sign-in/page.tsx": {
    schema: null,
    params: ["next"],
    // A bad `next` is dropped, not reported: sign-in then lands on the customers page.
    render: async (raw) => {
      const next = safeNextPath(typeof raw.next === "string" ? raw.next : undefined);
      expect(next === undefined || next.startsWith("/")).toBe(true);
      return [];
    },
  },
  "app/page.tsx": { noInput: "redirects to /customers" },
  "app/(dashboard)/account/page.tsx": { noInput: "reads only the signed-in user" },
  "app/(dashboard)/deletions/page.tsx": {
    schema: DeletionListPageParamsSchema,
    params: ["status", "regime", "source", "deadline", "from", "to", "after", "before"],
    render: async (raw) => {
      const { params, errors } = parseDeletionListPageParams(raw);
      await listDeletionRequests(params);
      return errors;
    },
  },
  "app/(dashboard)/deletions/[id]/page.tsx": {
    noInput: "reads only its segment",
    segment: async (id) => {
      const request = await getDeletionRequest(id);
      if (request) await deletionRequestAudit(request);
      return request;
    },
  },
  "app/(dashboard)/deletions/[id]/receipt/page.tsx": { noInput: "reads only its segment", segment: (id) => getDeletionReceipt(id) },
  "app/(dashboard)/deletions/bulk/page.tsx": { noInput: "lists the latest bulk deletions; no parameters" },
  "app/(dashboard)/deletions/bulk/[id]/page.tsx": {
    schema: BatchPageParamsSchema,
    params: ["page"],
    render: async (raw) => {
      const { params, errors } = parseBatchPageParams(raw);
      await Promise.all([getDeletionBatch(BATCH_ID), listDeletionBatchRows(BATCH_ID, params.page)]);
      return errors;
    },
    segment: (id) => getDeletionBatch(id),
  },
  "app/(dashboard)/integrations/page.tsx": { noInput: "lists every integration; no parameters" },
  "app/(dashboard)/integrations/[id]/page.tsx": {
    schema: DeliveryPageParamsSchema,
    params: ["status", "kind", "from", "to", "after", "before", "signal"],
    render: async (raw) => {
      const { params, errors } = parseDeliveryPageParams(raw);
      await getIntegrationStatus(INTEGRATION_ID);
      await listDeliveries(INTEGRATION_ID, params);
      if (params.signal) await getSignalDetail(INTEGRATION_ID, params.signal);
      return errors;
    },
    segment: (id) => getIntegrationStatus(id),
  },
  "app/(dashboard)/settings/page.tsx": { noInput: "no parameters" },
};

/** The keys of an object schema, through its refinements and transforms. */
function schemaKeys(schema: z.ZodType): string[] {
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape);
  if (schema instanceof z.ZodPipe) return schemaKeys(schema.in as z.ZodType);
  throw new Error(`not an object schema: ${schema.constructor.name}`);
}

function pageFiles(dir = "app"): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "api" ? [] : pageFiles(full);
    return entry.name === "page.tsx" ? [full] : [];
  });
}

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
  await db.driver.query("INSERT INTO customers (id, external_id) VALUES ($1, 'fuzz-pages')", [CUSTOMER_ID]);
  await db.driver.query("INSERT INTO audiences (id, name) VALUES ($1, 'fuzz-pages')", [AUDIENCE_ID]);
  await db.driver.query("INSERT INTO integrations (id, name, vendor, endpoint) VALUES ($1, 'Fuzz', 'fuzz', 'https://example.test/hook')", [
    INTEGRATION_ID,
  ]);
  await db.driver.query(
    "INSERT INTO deletion_batches (id, status, regime, file_name, total_rows, created_by_label) VALUES ($1, 'done', 'gdpr', 'fuzz.csv', 0, 'fuzz')",
    [BATCH_ID],
  );
  await db.driver.query(
    "INSERT INTO integration_signals (integration_id, customer_id, kind, payload, status) VALUES ($1, $2, 'consent_change', '{}', 'failed')",
    [INTEGRATION_ID, CUSTOMER_ID],
  );
});
afterAll(async () => db?.dispose());

describe("every page", () => {
  it("is listed in the fuzz table, with each dynamic segment's loader", () => {
    const files = pageFiles();
    expect(files.sort()).toEqual(Object.keys(PAGES).sort());
    for (const file of files.filter((f) => /\[[^/]+\]/.test(f))) {
      const page = PAGES[file]!;
      expect("segment" in page && page.segment, file).toBeTruthy();
    }
  });

  it("lists exactly the parameters each page's schema reads, and none for a page that reads no search params", () => {
    for (const [file, page] of Object.entries(PAGES)) {
      const readsSearchParams = readFileSync(file, "utf8").includes("searchParams");
      expect(readsSearchParams, `${file} reads search params`).toBe(!("noInput" in page));
      if ("noInput" in page || page.schema === null) continue;
      expect([...page.params].sort(), file).toEqual(schemaKeys(page.schema).sort());
    }
  });

  const fuzzed = Object.entries(PAGES).flatMap(([k, p]) => ("noInput" in p ? [] : [[k, p] as const]));

  // Pages that read only their segment: its loader still answers null to bad values.
  const segmentOnly = Object.entries(PAGES).flatMap(([k, p]) => ("noInput" in p && p.segment ? [[k, p.segment] as const] : []));
  it.each(segmentOnly)("%s answers 404 (null), never a throw, to bad segment values", async (_file, segment) => {
    for (const value of [...BAD_PARAM_VALUES, "00000000-0000-4000-8000-00000000dead"]) {
      expect(await segment(value), JSON.stringify(value.slice(0, 20))).toBeNull();
    }
  });

  describe.each(fuzzed)("%s", (_file, page) => {
    it("turns each bad parameter into a named message, never a throw, and writes nothing", async () => {
      const before = await rowCounts(db);
      for (const name of [...page.params, ...PROTOTYPE_KEYS]) {
        const repeated = repeatedValues("a").map((pair) => [...pair]);
        for (const value of [...BAD_PARAM_VALUES, ...repeated] as Array<string | string[]>) {
          const errors = await page.render(Object.assign(Object.create(null) as SearchParamsInput, { [name]: value }));
          for (const error of errors) expect(error.field.length, `${name}: names its field`).toBeGreaterThan(0);
          // A NUL, and a parameter given twice (no value silently wins), are always reported by name.
          if ((value === BAD_TEXT.nul || Array.isArray(value)) && page.params.includes(name) && name !== "next") {
            expect(
              errors.map((e) => e.field),
              `${name}=${JSON.stringify(value)} is reported`,
            ).toContain(name);
          }
        }
      }
      expect(await rowCounts(db)).toEqual(before);
    });

    it("never throws on generated parameters (fast-check)", async () => {
      const value = fc.oneof(fc.string(), fc.constantFrom(...BAD_PARAM_VALUES), fc.array(fc.string(), { maxLength: 3 }));
      await fc.assert(
        fc.asyncProperty(fc.dictionary(fc.constantFrom(...page.params, ...PROTOTYPE_KEYS, "x"), value), async (raw) => {
          await page.render(raw);
        }),
        { numRuns: 60 },
      );
    });

    it.runIf(page.segment !== undefined)("answers 404 (null), never a throw, to bad segment values", async () => {
      for (const value of [...BAD_PARAM_VALUES, "00000000-0000-4000-8000-00000000dead"]) {
        expect(await page.segment!(value), JSON.stringify(value.slice(0, 20))).toBeNull();
      }
    });
  });
});
