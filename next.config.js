// The Content-Security-Policy, with a per-request nonce, is set by proxy.ts.
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

/** @type {import('next').NextConfig} */
const nextConfig = {
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
  // PGlite loads its WASM and data files by path; bundling breaks that, and the
  // Prisma adapters are plain Node packages best left to Node's own resolver.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "pg", "@prisma/adapter-pg"],
  poweredByHeader: false,
  typedRoutes: false,
  // forbidden() answers 403 with app/forbidden.tsx when a role lacks a permission.
  // Actions take at most 1 MB (lib/http/action-size.ts); a file goes to an API route instead.
  experimental: { authInterrupts: true, serverActions: { bodySizeLimit: "1mb" } },
};

export default nextConfig;
