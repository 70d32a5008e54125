import type { Actor } from "../../auth/actor.ts";
import type { SqlDriver } from "../../db/driver.ts";

export const alice: Actor = {
  kind: "user",
  id: "00000000-0000-4000-8000-00000000a11c",
  label: "alice@staff.example",
  role: "admin",
  ip: "203.0.113.7",
  userAgent: "Mozilla/5.0 (test)",
};

export const ciKey: Actor = {
  kind: "api_key",
  id: "00000000-0000-4000-8000-0000000000c1",
  label: "CI import key",
  role: "marketer",
  ip: "198.51.100.2",
  userAgent: "curl/8.0",
};

export const retryWorker = { kind: "system", id: "retry-worker", label: "Delivery retry worker" } as const;

export const customerId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

export type StoredEntry = { id: string; chain: number; chain_seq: string; prev_hash: string; hash: string };

export async function storedEntries(driver: Pick<SqlDriver, "query">): Promise<StoredEntry[]> {
  return driver.query<StoredEntry>(
    "SELECT id::text AS id, chain::int AS chain, chain_seq::text AS chain_seq, prev_hash, hash FROM audit_entries ORDER BY audit_entries.id",
  );
}

/** A strict RFC 4180 reader, to check what the writer produced. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === "") quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else if (ch === "\r" || ch === "\n" || ch === '"') throw new Error(`bare ${JSON.stringify(ch)} at ${i}`);
    else cell += ch;
  }
  if (quoted || cell !== "" || row.length > 0) throw new Error("unterminated record");
  return rows;
}
