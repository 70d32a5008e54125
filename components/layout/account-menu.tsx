"use client";

import { useActionState } from "react";
import Link from "next/link";
import { LogOut, UserCog } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { signOutAction } from "@/lib/actions/auth";
import { ROLE_LABEL, type Role } from "@/lib/auth/permissions";

/** Who is signed in, with what role, and the way out. */
export function AccountMenu({ email, role }: { email: string; role: Role }) {
  // Through useActionState, the form way every action in lib/actions is called; it ends in a redirect.
  const [, signOut, pending] = useActionState(signOutAction, undefined);
  return (
    <div className="flex flex-col gap-2">
      <div className="min-w-0">
        <p className="truncate text-sm text-fg" title={email}>
          {email}
        </p>
        <Badge tone="accent">{ROLE_LABEL[role]}</Badge>
      </div>
      <Button asChild variant="ghost" size="sm" className="w-full justify-start">
        <Link href="/account">
          <UserCog aria-hidden="true" /> Your account
        </Link>
      </Button>
      <form action={signOut}>
        <Button type="submit" variant="ghost" size="sm" className="w-full justify-start" pending={pending}>
          <LogOut aria-hidden="true" /> Sign out
        </Button>
      </form>
    </div>
  );
}
