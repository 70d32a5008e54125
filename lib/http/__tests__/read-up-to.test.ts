import { describe, expect, it } from "vitest";
import { MAX_CSV_BYTES } from "../../deletions/csv.ts";
import { readUpTo } from "../read-up-to.ts";

describe("readUpTo", () => {
  const stream = (chunks: number, size: number) => {
    let sent = 0;
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < chunks) controller.enqueue(new Uint8Array(size));
        else controller.close();
      },
      cancel() {
        cancelled = true;
      },
    });
    return { body, sent: () => sent, cancelled: () => cancelled };
  };

  it("reads a body within the limit", async () => {
    expect((await readUpTo(stream(3, 10).body, 30))?.byteLength).toBe(30);
  });

  it("stops reading a body as soon as it passes the limit", async () => {
    const s = stream(100 * 1024, 1024); // 100 MB, if it were read
    expect(await readUpTo(s.body, MAX_CSV_BYTES)).toBeNull();
    expect(s.sent()).toBeLessThan(MAX_CSV_BYTES / 1024 + 5);
    expect(s.cancelled()).toBe(true);
  });
});
