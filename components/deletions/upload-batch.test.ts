import { afterEach, describe, expect, it, vi } from "vitest";
import { MAX_CSV_BYTES } from "@/lib/deletions/csv";
import { MAX_UPLOAD_BYTES, uploadDeletionBatch, uploadFailure } from "./upload-batch";

const form = (fields: Record<string, string | File>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};
const csv = (text: string, name = "list.csv") => new File([text], name, { type: "text/csv" });
const envelope = (code: string, message: string, fields?: Record<string, string>) => ({ error: { code, message, fields } });

describe("uploadFailure: the route's error envelope as the form shows it", () => {
  it.each([
    [
      "a query field",
      422,
      envelope("invalid_request", "Invalid regime.", { regime: "Choose GDPR or CCPA" }),
      { regime: "Choose GDPR or CCPA" },
    ],
    [
      "the file's name, beside the file",
      422,
      envelope("invalid_request", "Invalid file_name.", { file_name: "At most 200 characters" }),
      { file: "At most 200 characters" },
    ],
    ["a file the reader refuses", 422, envelope("invalid_file", "No rows.", { file: "No rows." }), { file: "No rows." }],
    [
      "a file too large, in the message's words",
      413,
      envelope("payload_too_large", "The file is larger than 5 MB.", { body: "Too large." }),
      { file: "The file is larger than 5 MB." },
    ],
  ] as const)("%s", (_name, status, body, fieldErrors) => {
    expect(uploadFailure(status, body)).toEqual({ ok: false, error: body.error.message, fieldErrors });
  });

  it("shows a refusal without fields above the form, and a body that is not the envelope as the status", () => {
    expect(uploadFailure(403, envelope("forbidden", "Your role may not do this."))).toEqual({
      ok: false,
      error: "Your role may not do this.",
    });
    expect(uploadFailure(502, null)).toEqual({ ok: false, error: "The upload failed (502). Try again." });
    const odd = Object.fromEntries([
      ["constructor", "no"],
      ["__proto__", "no"],
      ["toString", "no"],
    ]);
    expect(uploadFailure(422, envelope("x", "Odd.", odd))).toEqual({ ok: false, error: "Odd." });
  });
});

describe("uploadDeletionBatch", () => {
  it("holds a file to the route's own limit", () => {
    expect(MAX_UPLOAD_BYTES).toBe(MAX_CSV_BYTES);
  });

  afterEach(() => vi.unstubAllGlobals());

  it("sends the file itself as text/csv, the other fields in the query, and answers the new batch's id", async () => {
    const fetch = vi.fn(async () => Response.json({ data: { id: "b-1", status: "queued" } }, { status: 201 }));
    vi.stubGlobal("fetch", fetch);
    const file = csv("external_id\nabc\n");
    expect(await uploadDeletionBatch(undefined, form({ file, regime: "ccpa", reason: "Asked by email" }))).toEqual({
      ok: true,
      data: { id: "b-1" },
    });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/api/deletion-batches?file_name=list.csv&regime=ccpa&reason=Asked+by+email");
    expect(init).toMatchObject({ method: "POST", headers: { "content-type": "text/csv" }, body: file });
  });

  it("sends nothing for a missing, empty or oversized file", async () => {
    const fetch = vi.fn();
    vi.stubGlobal("fetch", fetch);
    expect(await uploadDeletionBatch(undefined, form({ regime: "gdpr" }))).toMatchObject({ fieldErrors: { file: "Choose a CSV file" } });
    expect(await uploadDeletionBatch(undefined, form({ file: csv("") }))).toMatchObject({ fieldErrors: { file: "The file is empty" } });
    const big = csv("x".repeat(MAX_CSV_BYTES + 1));
    expect(await uploadDeletionBatch(undefined, form({ file: big }))).toMatchObject({
      fieldErrors: { file: expect.stringMatching(/larger/) },
    });
    expect(fetch).not.toHaveBeenCalled();
  });

  it("answers a refusal with its fields, and a lost connection in words", async () => {
    vi.stubGlobal("fetch", async () =>
      Response.json(envelope("invalid_request", "Invalid reason.", { reason: "At most 500 characters" }), { status: 422 }),
    );
    expect(await uploadDeletionBatch(undefined, form({ file: csv("a\n") }))).toMatchObject({
      fieldErrors: { reason: "At most 500 characters" },
    });
    vi.stubGlobal("fetch", async () => Promise.reject(new TypeError("Failed to fetch")));
    expect(await uploadDeletionBatch(undefined, form({ file: csv("a\n") }))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/did not reach/),
    });
  });
});
