import Link from "next/link";
import { ShieldX } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

// Rendered where a dashboard page calls forbidden(), inside the dashboard layout's <main>: a plain container, not a second main.
export default function Forbidden() {
  return (
    <div className="flex min-h-[60dvh] items-center justify-center p-6">
      <EmptyState
        icon={ShieldX}
        titleAs="h1"
        title="Your role cannot open this page"
        description="Ask an admin if you need access: admins set each person's role, and what each role may do, in Settings."
        action={
          <Button asChild variant="secondary" size="sm">
            <Link href="/customers">Go to Customers</Link>
          </Button>
        }
      />
    </div>
  );
}
