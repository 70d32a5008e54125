// What the process's own HTTP server (lib/http/edge-server.ts) decides before
// Next.js sees a request. Pure, and free of Next.js and app imports, so the
// server can load it before Next.js and a later front server can share it.
//
// Next.js buffers a body for proxy.ts whether or not the proxy reads it, and
// answers only once the whole body has arrived; a route reads its body only
// after the caller is known. So a body declared larger than its path can ever
// take is refused here, at once and unread: nothing is held for it.

const KB = 1024;
const MB = 1024 * KB;

/**
 * The largest server-action body (next.config.js `serverActions.bodySizeLimit`,
 * proxy.ts via lib/http/action-size.ts). The largest real one, a consent change
 * or an integration form, is a few KB; defineAction holds text to 256 K characters.
 */
export const ACTION_BODY_LIMIT = 256 * KB;

/**
 * What Next.js buffers of a body for proxy.ts (`experimental.proxyClientMaxBodySize`).
 * Past it, Next.js cuts short both the proxy's copy and the body the page gets,
 * so it stays a socket read (64–128 KB) above ACTION_BODY_LIMIT: a body the
 * proxy lets through is always whole. 150 clients hold at most 150 × this.
 */
export const PROXY_BODY_BUFFER = 384 * KB;

/**
 * The largest body each path takes, first match first. An API route reads its
 * body with a limit of its own (readJsonBody, readUpTo); these are those limits,
 * checked against the routes' constants in lib/http/__tests__/edge.test.ts.
 */
export const BODY_LIMITS: ReadonlyArray<{ path: string; prefix: boolean; limit: number; for: string }> = [
  { path: "/api/deletion-batches", prefix: false, limit: 5 * MB + 64 * KB, for: "a bulk deletion's CSV (5 MB, or as JSON text)" },
  { path: "/api/events", prefix: false, limit: 2 * MB, for: "a batch of up to 1,000 loyalty events" },
  { path: "/api/", prefix: true, limit: 64 * KB, for: "every other API body (consent, integrations, deletions, sign-in)" },
  { path: "/", prefix: true, limit: ACTION_BODY_LIMIT, for: "a server action on a page" },
];

/** The path as Next.js will route it (dot segments resolved), without the query. */
export function pathOf(target: string): string {
  try {
    return new URL(target, "http://edge.invalid").pathname;
  } catch {
    return target.split("?")[0] ?? "/";
  }
}

export function bodyLimitFor(pathname: string): number {
  const found = BODY_LIMITS.find((l) => (l.prefix ? pathname.startsWith(l.path) : pathname === l.path));
  return found?.limit ?? ACTION_BODY_LIMIT;
}

export const isApiPath = (pathname: string) => pathname === "/api" || pathname.startsWith("/api/");

/** The segment that is not percent-encoded UTF-8, or null when every one decodes. */
export function undecodableSegment(pathname: string): string | null {
  for (const segment of pathname.split("/")) {
    try {
      decodeURIComponent(segment);
    } catch {
      return segment;
    }
  }
  return null;
}

export type EdgeRequest = { method?: string; url?: string; headers: Readonly<Record<string, string | string[] | undefined>> };
export type EdgeRefusal = { status: 400 | 413; code: string; message: string; field: string };

/**
 * Why the edge answers a request itself, or null to hand it to Next.js:
 * a declared Content-Length over its path's limit (413), and an API path that
 * is not UTF-8 (400; Next.js's param decoding would end it as a bare 500, and
 * proxy.ts, which rewrites such a page path to not-found, no longer runs on /api).
 * A body without a declared length is counted by whoever reads it.
 */
export function refuseAtEdge(request: EdgeRequest): EdgeRefusal | null {
  const raw = (request.url ?? "/").split("?")[0] ?? "/";
  if (isApiPath(raw) && undecodableSegment(raw) !== null) {
    return { status: 400, code: "invalid_path", message: "The path is not valid percent-encoded UTF-8.", field: "path" };
  }
  const declared = request.headers["content-length"];
  const length = typeof declared === "string" && /^\d+$/.test(declared) ? Number(declared) : null;
  const limit = bodyLimitFor(pathOf(request.url ?? "/"));
  return length !== null && length > limit ? bodyTooLarge(limit) : null;
}

export function bodyTooLarge(limit: number): EdgeRefusal {
  const message = `The body is larger than ${limit.toLocaleString("en")} bytes, the most this path takes.`;
  return { status: 413, code: "payload_too_large", message, field: "body" };
}

/**
 * True when the edge reads the body itself before Next.js sees the request: a
 * page path's (a server action's), which proxy.ts inspects and Next.js would
 * otherwise hold until the client finished sending it. Read whole first (at
 * most ACTION_BODY_LIMIT), it reaches Next.js complete, so neither waits on a
 * slow client; one over the limit is refused the moment it passes it, and one
 * the client abandons half-way never reaches Next.js. An API route reads its
 * own body, after it knows the caller.
 */
export function edgeReadsBody(request: EdgeRequest): boolean {
  return !isApiPath(pathOf(request.url ?? "/")) && hasBody(request);
}

/** True when the request says a body follows its headers. */
export function hasBody(request: EdgeRequest): boolean {
  const length = request.headers["content-length"];
  return request.headers["transfer-encoding"] !== undefined || (typeof length === "string" && length !== "0");
}

/** The most of an unread body the server still reads (and drops) after the answer, to keep the connection for the client's next request. */
export const DRAIN_LIMIT = 64 * KB;

/**
 * True when a request answered before its body was read (a route's 401, say)
 * keeps its connection: its body is declared small enough to read and drop.
 * A larger or undeclared one closes the connection instead, rather than make
 * the server read megabytes nobody wants.
 */
export function drainsUnreadBody(request: EdgeRequest): boolean {
  const length = request.headers["content-length"];
  return typeof length === "string" && /^\d+$/.test(length) && Number(length) <= DRAIN_LIMIT;
}

/**
 * The headers of an answer the edge gives itself: the API's (next.config.js
 * sets the same on /api) and no keep-alive, since the body it refused is
 * still on its way and is never read.
 */
export const EDGE_HEADERS: Readonly<Record<string, string>> = {
  "content-type": "application/json",
  "cache-control": "no-store",
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
  "cross-origin-opener-policy": "same-origin",
  connection: "close",
};

/** The refusal in the API's error envelope. */
export function refusalBody(refusal: EdgeRefusal): string {
  return JSON.stringify({ error: { code: refusal.code, message: refusal.message, fields: { [refusal.field]: refusal.message } } });
}

/** How long a client may take, in ms (see serverTimeouts). */
export type ServerTimeouts = {
  headersTimeout: number;
  requestTimeout: number;
  connectionsCheckingInterval: number;
  keepAliveTimeout: number;
};

const TIMEOUTS = {
  headersTimeout: { env: "HTTP_HEADERS_TIMEOUT_MS", fallback: 15_000 },
  requestTimeout: { env: "HTTP_REQUEST_TIMEOUT_MS", fallback: 60_000 },
  connectionsCheckingInterval: { env: "HTTP_TIMEOUT_CHECK_MS", fallback: 1_000 },
  keepAliveTimeout: { env: "HTTP_KEEP_ALIVE_TIMEOUT_MS", fallback: 5_000 },
} as const satisfies Record<keyof ServerTimeouts, { env: string; fallback: number }>;

/**
 * The server's timeouts from the environment. Node's defaults (300 s for a
 * request, checked every 30 s) let a client that dribbles its headers or its
 * body hold a connection for five minutes; these cut it off within the
 * request timeout plus one check. A bad value stops the server at start.
 */
export function serverTimeouts(env: Readonly<Record<string, string | undefined>> = process.env): ServerTimeouts {
  const out = {} as ServerTimeouts;
  for (const [key, { env: name, fallback }] of Object.entries(TIMEOUTS) as Array<
    [keyof ServerTimeouts, (typeof TIMEOUTS)[keyof ServerTimeouts]]
  >) {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === "") out[key] = fallback;
    else if (/^\d+$/.test(raw) && Number(raw) >= 100 && Number(raw) <= 3_600_000) out[key] = Number(raw);
    else throw new Error(`${name} must be a whole number of milliseconds from 100 to 3600000, not "${raw}"`);
  }
  if (out.headersTimeout > out.requestTimeout) {
    throw new Error(
      `${TIMEOUTS.headersTimeout.env} (${out.headersTimeout}) must not exceed ${TIMEOUTS.requestTimeout.env} (${out.requestTimeout})`,
    );
  }
  return out;
}
