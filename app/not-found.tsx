import type { Metadata } from "next";
import Link from "next/link";
import { SearchX } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Page not found" };

// Rendered inside the root layout only (no sidebar), so it provides its own landmark and h1.
export default function NotFound() {
  return (
    <main id="main" className="mx-auto flex min-h-dvh w-full max-w-xl flex-col justify-center px-4 py-12">
      <EmptyState
        icon={SearchX}
        titleAs="h1"
        title="Page not found"
        description="The page you asked for does not exist, or it has moved."
        action={
          <Button asChild>
            <Link href="/customers">Back to Customers</Link>
          </Button>
        }
      />
    </main>
  );
}
