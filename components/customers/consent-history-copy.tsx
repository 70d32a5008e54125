"use client";

import { useState } from "react";
import { Copy } from "lucide-react";
import { Button } from "@/components/ui/button";

/**
 * Copies a long value (a TC string) that the timeline shows truncated.
 * Without JavaScript the full value is still in the element's title and the
 * exports.
 */
export function CopyValueButton({ value, label }: { value: string; label: string }) {
  const [status, setStatus] = useState("");

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setStatus("Copied.");
    } catch {
      setStatus("Could not copy: no clipboard access here. The export has the full value.");
    }
  }

  return (
    <span className="inline-flex items-center gap-1.5">
      <Button type="button" variant="ghost" size="sm" onClick={copy} aria-label={`Copy ${label}`}>
        <Copy aria-hidden="true" />
        Copy
      </Button>
      <span role="status" className="text-xs text-muted">
        {status}
      </span>
    </span>
  );
}
