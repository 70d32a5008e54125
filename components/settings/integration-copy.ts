import type { TestSignalResult } from "@/lib/integrations/test-signal";

// "Send a test signal": the endpoint's answer in words, for the dialog.

export function describeTestResult(result: TestSignalResult): { headline: string; details: string[] } {
  const took = `${result.latencyMs.toLocaleString("en-US")} ms`;
  if (result.delivered) {
    return {
      headline: `Delivered: the endpoint answered ${result.statusCode} in ${took}.`,
      details: [result.receiverRef ? `Receiver reference: ${result.receiverRef}` : "The receiver named no reference."],
    };
  }
  return {
    headline: `Not delivered: ${result.error ?? "no answer."}`,
    details: [result.statusCode === null ? `No HTTP answer, after ${took}.` : `It answered after ${took}.`],
  };
}
