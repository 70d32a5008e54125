"use client";

import { useState } from "react";

/**
 * Copies text to the clipboard and keeps a sentence saying how it went, for a
 * role="status" element beside the button. Without clipboard access (an
 * insecure origin, a denied permission) `onFail` runs and `failed` is shown.
 */
export function useCopy(messages: { copied: string; failed: string; onFail?: () => void }) {
  const [status, setStatus] = useState("");
  async function copy(text: string) {
    try {
      await navigator.clipboard.writeText(text);
      setStatus(messages.copied);
    } catch {
      messages.onFail?.();
      setStatus(messages.failed);
    }
  }
  return { status, copy };
}
