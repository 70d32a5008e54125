"use client";

import { Copy } from "lucide-react";
import { Button } from "@/components/ui/button";
import { useCopy } from "@/components/ui/use-copy";

/**
 * Copies a long value (a TC string) that the timeline shows truncated.
 * Without JavaScript the full value is still in the element's title and the
 * exports.
 */
export function CopyValueButton({ value, label }: { value: string; label: string }) {
  const { status, copy } = useCopy({
    copied: "Copied.",
    failed: "Could not copy: no clipboard access here. The export has the full value.",
  });

  return (
    <span className="inline-flex items-center gap-1.5">
      <Button type="button" variant="ghost" size="sm" onClick={() => copy(value)} aria-label={`Copy ${label}`}>
        <Copy aria-hidden="true" />
        Copy
      </Button>
      <span role="status" className="text-xs text-muted">
        {status}
      </span>
    </span>
  );
}
