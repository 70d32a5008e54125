import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ShieldCheck } from "lucide-react";
import { SignInForm } from "@/components/auth/sign-in-form";
import { getCurrentUser } from "@/lib/auth/session";
import { SignInSchema } from "@/lib/validations/auth";

export const metadata: Metadata = { title: "Sign in" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const raw = await searchParams;
  const next = SignInSchema.shape.next.parse(typeof raw.next === "string" ? raw.next : undefined);
  if (await getCurrentUser()) redirect(next ?? "/customers");
  return (
    <main id="main" className="flex min-h-dvh items-center justify-center bg-bg p-6">
      <div className="flex w-full max-w-sm flex-col gap-6 rounded-lg border border-border bg-surface p-6 shadow-sm">
        <div className="flex flex-col gap-1">
          <span className="flex items-center gap-2 text-sm font-semibold text-fg">
            <ShieldCheck aria-hidden="true" className="size-5 text-accent" /> Consent Desk
          </span>
          <h1 className="text-xl font-semibold text-fg">Sign in</h1>
          <p className="text-sm text-muted">Use the email and password your admin gave you.</p>
        </div>
        <SignInForm next={next} />
      </div>
    </main>
  );
}
