/**
 * Sign-in answer time by kind of failure, against a PostgreSQL database.
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/cd_bench npm run bench:sign-in -- [--rounds N]
 *
 * A wrong password for an active account, any password for a deactivated
 * one, and an email no account has must answer alike, in text and in time,
 * or the answer tells an attacker which accounts exist and which were
 * switched off. Each round sends one of each through better-auth's handler
 * (the whole hook chain: lockout reservation, password check or its stand-in
 * hash, audit entry), in a rotating order, with the bench accounts' lockout
 * counters cleared first. It creates its two accounts and deletes them
 * again with their counters; their audit rows stay (the audit log is append-only). It reports;
 * it never fails a build on a figure (exit 1 only on errors).
 */
import { randomUUID } from "node:crypto";
import os from "node:os";
import { getAuth } from "../lib/auth/server.ts";
import { createUserWithPassword } from "../lib/users/create.ts";
import { benchDatabase, integerFlag, parseFlags, runBench } from "./lib/cli.ts";
import { formatTable, ms, summarize, timed } from "./lib/stats.ts";

const USAGE = `Usage: DATABASE_URL=postgresql://... npm run bench:sign-in -- [options]
  --rounds N    attempts of each kind (default 60)`;

const PASSWORD = "correct horse battery staple 7";

async function main() {
  const values = parseFlags({ rounds: { type: "string", default: "60" } }, USAGE);
  const rounds = integerFlag(USAGE)("rounds", values.rounds, 5, 10_000);
  const { prisma, driver } = await benchDatabase(USAGE);
  const tag = randomUUID().slice(0, 8);
  const active = `bench-active-${tag}@example.test`;
  const deactivated = `bench-off-${tag}@example.test`;
  const unknown = `bench-nobody-${tag}@example.test`;
  // Deactivating needs an active admin to remain (a database rule): an empty database gets one, which stays.
  if ((await prisma.user.count({ where: { role: "admin", deactivatedAt: null } })) === 0) {
    await createUserWithPassword(
      { email: "bench-admin@example.test", name: "Bench admin", role: "admin", password: `${PASSWORD} admin` },
      prisma,
    );
  }
  await createUserWithPassword({ email: active, name: "Bench active", role: "auditor", password: PASSWORD }, prisma);
  const off = await createUserWithPassword({ email: deactivated, name: "Bench off", role: "auditor", password: PASSWORD }, prisma);
  await prisma.user.update({ where: { id: off.id }, data: { deactivatedAt: new Date() } });

  const auth = await getAuth();
  // Called in process, our limits see no socket address (the "unknown" bucket, cleared with the accounts' counters before each
  // attempt); a fresh benchmarking-range address per attempt keeps better-auth's per-address rate limit from answering first.
  let sent = 0;
  const attempt = async (email: string, password: string) => {
    sent++;
    const ip = `198.18.${sent >> 8}.${sent & 255}`;
    await driver.query("DELETE FROM sign_in_counters WHERE key LIKE '%' || $1 || '%' OR key = 'client:unknown'", [tag]);
    const response = await auth.handler(
      new Request("http://localhost/api/auth/sign-in/email", {
        method: "POST",
        headers: { "content-type": "application/json", "x-consent-desk-client-ip": ip },
        body: JSON.stringify({ email, password }),
      }),
    );
    return { status: response.status, message: ((await response.json()) as { message?: string }).message ?? "" };
  };
  const kinds = [
    ["wrong password, active account", () => attempt(active, `${PASSWORD}!`)],
    ["deactivated account", () => attempt(deactivated, PASSWORD)],
    ["unknown email", () => attempt(unknown, PASSWORD)],
  ] as const;

  const samples = kinds.map(() => [] as number[]);
  const answers = kinds.map(() => new Set<string>());
  try {
    for (const [, run] of kinds) await run(); // warm-up
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < kinds.length; k++) {
        const i = (k + round) % kinds.length;
        const [answer, elapsed] = await timed(kinds[i]![1]);
        samples[i]!.push(elapsed);
        answers[i]!.add(`${answer.status} ${answer.message}`);
      }
    }
  } finally {
    await driver.query("DELETE FROM sign_in_counters WHERE key LIKE '%' || $1 || '%' OR key = 'client:unknown'", [tag]);
    await prisma.user.deleteMany({ where: { email: { in: [active, deactivated] } } });
  }

  const baseline = summarize(samples[0]!);
  const rows = kinds.map(([name], i) => {
    const s = summarize(samples[i]!);
    return [name, [...answers[i]!].join(" | "), ms(s.p50), ms(s.p95), `${(s.p50 / baseline.p50).toFixed(2)}x`];
  });
  console.log(
    `\nSign-in failures, ${rounds} of each, interleaved; load average ${os.loadavg()[0]!.toFixed(2)} on ${os.cpus().length} cores\n`,
  );
  console.log(formatTable(["kind", "answer", "p50 ms", "p95 ms", "p50 vs wrong password"], rows));
  const same = new Set(answers.flatMap((a) => [...a])).size === 1;
  console.log(`\nEvery kind got the same answer: ${same ? "yes" : "NO"}`);
}

runBench(main);
