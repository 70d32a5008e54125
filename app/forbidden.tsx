import Link from "next/link";
import { ShieldX } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export default function Forbidden() {
  return (
    <main id="main" className="flex min-h-dvh items-center justify-center p-6">
      <EmptyState
        icon={ShieldX}
        titleAs="h1"
        title="Your role cannot open this page"
        description="Ask an admin if you need access. What each role may do is listed on the Settings page."
        action={
          <Button asChild variant="secondary" size="sm">
            <Link href="/customers">Go to Customers</Link>
          </Button>
        }
      />
    </main>
  );
}
