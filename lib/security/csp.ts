// The Content-Security-Policy every page gets, with its request's nonce
// (proxy.ts makes one per request; Next.js puts it on its own scripts).

/** A fresh nonce: 16 random bytes, base64. */
export function createNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

/**
 * Scripts run only with this request's nonce (and what those scripts load:
 * 'strict-dynamic'); no inline script without it. Styles keep 'unsafe-inline':
 * components set style attributes, which a nonce cannot allow.
 */
export function contentSecurityPolicy(nonce: string, { dev = false } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
