import { NextResponse } from "next/server";
import { jsonNestsDeeper, MAX_JSON_DEPTH } from "./json-depth.ts";
import { ACTION_BODY_LIMIT } from "./edge.ts";
import { readUpTo } from "./read-up-to.ts";

// Next.js refuses a server-action body over `serverActions.bodySizeLimit`
// (ACTION_BODY_LIMIT, lib/http/edge.ts) while reading it, inside its own
// action handler, and that refusal ends as a 500; React decodes the arguments
// recursively before any action code runs, and a body 5,000 levels deep
// overflows its stack (a 500 too). Both are answered here first, as what they
// are: 413 and 400. (Under scripts/server.ts the edge refuses an oversized
// body before the proxy runs; this holds under `next dev` too.)

export { ACTION_BODY_LIMIT };

const isAction = (request: Request) => request.method === "POST" && request.headers.has("next-action");

function tooLarge(limit: number): NextResponse {
  const message = `The form sent is larger than ${limit.toLocaleString("en")} bytes.`;
  return NextResponse.json({ error: { code: "payload_too_large", message, fields: { body: message } } }, { status: 413 });
}

/** 413 for a server-action request that declares a body over the limit, before anything is read; null lets it through. */
export function refuseOversizedAction(request: Request): NextResponse | null {
  if (!isAction(request)) return null;
  const length = Number(request.headers.get("content-length"));
  return Number.isFinite(length) && length > ACTION_BODY_LIMIT ? tooLarge(ACTION_BODY_LIMIT) : null;
}

/** A copy of the body read up to the limit: its text, or null once it passes the limit (reading stops there). */
async function readUpToLimit(request: Request, limit: number): Promise<string | null> {
  const bytes = await readUpTo(request.clone().body, limit);
  return bytes === null ? null : new TextDecoder().decode(bytes);
}

/**
 * 413 for a server-action body that turns out larger than the limit (a
 * chunked body declares no length), 400 for one that nests arrays or objects
 * deeper than any action takes; null lets it through, its body unread.
 */
export async function refuseUnfitAction(request: Request): Promise<NextResponse | null> {
  if (!isAction(request) || request.body === null) return null;
  const text = await readUpToLimit(request, ACTION_BODY_LIMIT);
  if (text === null) return tooLarge(ACTION_BODY_LIMIT);
  if (!jsonNestsDeeper(text)) return null;
  const message = `The form sent nests values deeper than ${MAX_JSON_DEPTH} levels.`;
  return NextResponse.json({ error: { code: "too_deep", message, fields: { body: message } } }, { status: 400 });
}
