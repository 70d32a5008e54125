"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { FileUp, Plug, ScrollText, Send, Settings, ShieldCheck, Trash2, Users, type LucideIcon } from "lucide-react";
import type { ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import type { Permission } from "@/lib/auth/permissions";

type NavItem = { label: string; href: string; icon: LucideIcon; needs: Permission };

const NAV_ITEMS: readonly NavItem[] = [
  { label: "Customers", href: "/customers", icon: Users, needs: "customers:read" },
  { label: "Audiences", href: "/audiences", icon: Send, needs: "customers:read" },
  { label: "Deletions", href: "/deletions", icon: Trash2, needs: "deletions:read" },
  { label: "Bulk deletions", href: "/deletions/bulk", icon: FileUp, needs: "deletions:read" },
  { label: "Integrations", href: "/integrations", icon: Plug, needs: "integrations:read" },
  { label: "Audit log", href: "/audit", icon: ScrollText, needs: "audit:read" },
  { label: "Settings", href: "/settings", icon: Settings, needs: "users:manage" },
];

function matches(pathname: string, href: string) {
  // Detail pages (e.g. /customers/123) keep their section highlighted.
  return pathname === href || pathname.startsWith(`${href}/`);
}

/** The one item to mark: the longest href the path is under (/deletions/bulk/1 is Bulk deletions, not Deletions). */
function activeHref(pathname: string, items: readonly NavItem[]): string | undefined {
  return items
    .filter((item) => matches(pathname, item.href))
    .map((item) => item.href)
    .sort((a, b) => b.length - a.length)[0];
}

/** Left sidebar on md+; a compact top bar with a scrollable row of links below that. */
export function Sidebar({ allowed, account }: { allowed: readonly Permission[]; account: ReactNode }) {
  const pathname = usePathname() ?? "";
  // Sections a role cannot open are not offered; the server still checks each page.
  const items = NAV_ITEMS.filter((item) => allowed.includes(item.needs));
  const current = activeHref(pathname, items);

  return (
    <aside className="sticky top-0 z-30 flex shrink-0 flex-col border-b border-border bg-surface md:h-dvh md:w-56 md:border-r md:border-b-0">
      <div className="flex h-12 items-center gap-2 px-4 md:h-14">
        <ShieldCheck aria-hidden="true" className="size-5 text-accent" />
        <span className="text-sm font-semibold tracking-tight text-fg">Consent Desk</span>
      </div>
      <nav aria-label="Main" className="overflow-x-auto px-2 pb-2 md:overflow-visible md:px-3 md:pt-2">
        <ul className="flex gap-1 md:flex-col">
          {items.map(({ label, href, icon: Icon }) => {
            const active = href === current;
            return (
              <li key={href}>
                <Link
                  href={href}
                  aria-current={active ? "page" : undefined}
                  className={cn(
                    "flex h-8 items-center gap-2 rounded-md px-2.5 text-sm whitespace-nowrap transition-colors",
                    active ? "bg-accent-subtle font-medium text-accent" : "text-muted hover:bg-surface-muted hover:text-fg",
                  )}
                >
                  <Icon aria-hidden="true" className="size-4 shrink-0" />
                  {label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <div className="mt-auto hidden border-t border-border p-3 md:block">{account}</div>
    </aside>
  );
}
