import { NextResponse } from "next/server";
import { jsonNestsDeeper, MAX_JSON_DEPTH } from "./json-depth.ts";

// Next.js refuses a server-action body over `serverActions.bodySizeLimit`
// (1 MB by default) while reading it, inside its own action handler, and
// that refusal ends as a 500. A declared length over the limit is answered
// here first, as what it is: 413. (A chunked body declares no length and
// still meets Next.js's own check.)

export const ACTION_BODY_LIMIT = 1024 * 1024;

/** 413 for a server-action request that declares a body over the limit; null lets it through. Call in proxy.ts. */
export function refuseOversizedAction(request: Request): NextResponse | null {
  if (request.method !== "POST" || !request.headers.has("next-action")) return null;
  const length = Number(request.headers.get("content-length"));
  if (!Number.isFinite(length) || length <= ACTION_BODY_LIMIT) return null;
  const message = `The form sent is larger than ${ACTION_BODY_LIMIT.toLocaleString("en")} bytes.`;
  return NextResponse.json({ error: { code: "payload_too_large", message, fields: { body: message } } }, { status: 413 });
}

/**
 * 400 for a server-action body that nests arrays or objects deeper than any
 * action takes: React decodes the arguments recursively before any action
 * code runs, and a body 5,000 levels deep overflows its stack (a 500).
 */
export async function refuseDeepAction(request: Request): Promise<NextResponse | null> {
  if (request.method !== "POST" || !request.headers.has("next-action") || request.body === null) return null;
  if (!jsonNestsDeeper(await request.clone().text())) return null;
  const message = `The form sent nests values deeper than ${MAX_JSON_DEPTH} levels.`;
  return NextResponse.json({ error: { code: "too_deep", message, fields: { body: message } } }, { status: 400 });
}
