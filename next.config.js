// A page's Content-Security-Policy, with a per-request nonce, is set by proxy.ts;
// the API's answers (JSON and CSV, which proxy.ts does not see) get a policy
// that allows nothing. lib/http/edge.ts's EDGE_HEADERS repeat these on the
// answers the server gives before Next.js (checked by lib/http/__tests__/edge.test.ts).
const securityHeaders = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  ...(process.env.BETTER_AUTH_URL?.startsWith("https:")
    ? [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }]
    : []),
];

const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

// The public URL's host, which Next.js's own server-action check (Origin's host
// against Host or X-Forwarded-Host) must also take when a proxy rewrites Host;
// proxy.ts accepts it too (lib/http/action-request.ts).
const publicHost = (() => {
  try {
    return process.env.BETTER_AUTH_URL ? new URL(process.env.BETTER_AUTH_URL).host : undefined;
  } catch {
    return undefined;
  }
})();

/** @type {import('next').NextConfig} */
const nextConfig = {
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY }] },
    ];
  },
  // PGlite loads its WASM and data files by path; bundling breaks that, and the
  // Prisma adapters are plain Node packages best left to Node's own resolver.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "pg", "@prisma/adapter-pg"],
  poweredByHeader: false,
  typedRoutes: false,
  experimental: {
    // forbidden() answers 403 with app/forbidden.tsx when a role lacks a permission.
    authInterrupts: true,
    // ACTION_BODY_LIMIT and PROXY_BODY_BUFFER in lib/http/edge.ts (checked by its test). Next.js
    // buffers up to proxyClientMaxBodySize of every body proxy.ts sees and cuts off both copies past
    // it, so it stays a socket read above the action limit. A file goes to an API route instead.
    serverActions: { bodySizeLimit: "256kb", ...(publicHost ? { allowedOrigins: [publicHost] } : {}) },
    proxyClientMaxBodySize: "384kb",
  },
};

export default nextConfig;
