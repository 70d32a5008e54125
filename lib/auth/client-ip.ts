/**
 * The caller's IP from the proxy headers. Behind no proxy `next start` fills
 * x-forwarded-for from the socket only when the client sent none, so a client
 * can choose its per-IP bucket: the per-account limit is the real defence.
 */
export function clientIp(headers: Headers | null | undefined): string | null {
  const forwarded = headers?.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers?.get("x-real-ip")?.trim() || null;
}
