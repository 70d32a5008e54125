import { NextResponse } from "next/server";
import { jsonNestsDeeper, MAX_JSON_DEPTH } from "./json-depth.ts";
import { readUpTo } from "./read-up-to.ts";

// Next.js refuses a server-action body over `serverActions.bodySizeLimit`
// (1 MB by default) while reading it, inside its own action handler, and
// that refusal ends as a 500; React decodes the arguments recursively before
// any action code runs, and a body 5,000 levels deep overflows its stack (a
// 500 too). Both are answered here first, as what they are: 413 and 400.

export const ACTION_BODY_LIMIT = 1024 * 1024;

/**
 * The one page whose action takes a file: a bulk deletion's CSV (up to 5 MB,
 * lib/deletions/csv.ts) and the form around it. next.config.js lets Next.js
 * take bodies this large; every other action is held to ACTION_BODY_LIMIT here.
 */
export const UPLOAD_ACTION_PATHS: Readonly<Record<string, number>> = { "/deletions/bulk": 5 * 1024 * 1024 + 256 * 1024 };
export const LARGEST_ACTION_BODY = Math.max(ACTION_BODY_LIMIT, ...Object.values(UPLOAD_ACTION_PATHS));

const limitFor = (request: Request) => UPLOAD_ACTION_PATHS[new URL(request.url).pathname] ?? ACTION_BODY_LIMIT;

const isAction = (request: Request) => request.method === "POST" && request.headers.has("next-action");

function tooLarge(limit: number): NextResponse {
  const message = `The form sent is larger than ${limit.toLocaleString("en")} bytes.`;
  return NextResponse.json({ error: { code: "payload_too_large", message, fields: { body: message } } }, { status: 413 });
}

/** 413 for a server-action request that declares a body over the limit, before anything is read; null lets it through. */
export function refuseOversizedAction(request: Request): NextResponse | null {
  if (!isAction(request)) return null;
  const length = Number(request.headers.get("content-length"));
  const limit = limitFor(request);
  return Number.isFinite(length) && length > limit ? tooLarge(limit) : null;
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
  const limit = limitFor(request);
  const text = await readUpToLimit(request, limit);
  if (text === null) return tooLarge(limit);
  if (!jsonNestsDeeper(text)) return null;
  const message = `The form sent nests values deeper than ${MAX_JSON_DEPTH} levels.`;
  return NextResponse.json({ error: { code: "too_deep", message, fields: { body: message } } }, { status: 400 });
}
