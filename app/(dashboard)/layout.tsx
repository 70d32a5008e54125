import type { ReactNode } from "react";
import { AccountMenu } from "@/components/layout/account-menu";
import { Sidebar } from "@/components/layout/sidebar";
import { getCurrentUser, redirectToSignIn } from "@/lib/auth/session";
import { can, PERMISSIONS } from "@/lib/auth/permissions";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  // Each page checks its own permission too; the layout is never the only check.
  const user = await getCurrentUser();
  if (!user) return redirectToSignIn();
  const allowed = PERMISSIONS.filter((p) => can(user.role, p));
  return (
    <div className="flex min-h-dvh flex-col md:flex-row">
      <a
        href="#main"
        className={[
          "sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50",
          "focus:rounded-md focus:bg-accent focus:px-3 focus:py-2 focus:text-sm focus:font-medium focus:text-accent-fg",
        ].join(" ")}
      >
        Skip to content
      </a>
      <Sidebar allowed={allowed} account={<AccountMenu email={user.label} role={user.role} />} />
      {/* tabIndex -1 lets the skip link move focus, not just scroll, in every browser. */}
      <main id="main" tabIndex={-1} className="flex min-w-0 flex-1 flex-col gap-6 px-4 py-6 outline-none md:px-8">
        {children}
      </main>
    </div>
  );
}
