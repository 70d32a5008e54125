import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import net from "node:net";
import path from "node:path";

export interface RunningServer {
  url: string;
  pid: number;
  /** Stops the server and everything it started; safe to call twice. */
  stop(): Promise<void>;
}

/** The first port from `start` nobody listens on (checked by binding it briefly). */
export async function freePort(start: number, attempts = 50): Promise<number> {
  for (let port = start; port < start + attempts; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = net.createServer();
      probe.once("error", () => resolve(false));
      probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port in ${start}..${start + attempts - 1}`);
}

export function buildInfo(cwd: string): { id: string; builtAt: Date } | undefined {
  const file = path.join(cwd, ".next", "BUILD_ID");
  if (!existsSync(file)) return undefined;
  return { id: readFileSync(file, "utf8").trim(), builtAt: statSync(file).mtime };
}

/**
 * Pids of `next build` processes working in `cwd`, read from /proc (Linux; elsewhere none are seen and
 * next's own build lock is the only guard). A build deletes .next/BUILD_ID first, so a missing BUILD_ID
 * usually means someone is building right now: wait for them rather than build over them.
 */
export function runningBuilds(cwd: string): number[] {
  if (!existsSync("/proc")) return [];
  const project = realpathSync(cwd);
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " ");
      // "next-build (v16…)" is the title next gives its build process; the rest catches it before it renames itself.
      if (!/next-build|\bnext(\.js)?\s+build\b/.test(cmdline)) continue;
      if (realpathSync(`/proc/${entry}/cwd`) === project) pids.push(Number(entry));
    } catch {
      // the process ended, or is not ours to read
    }
  }
  return pids;
}

export async function waitForBuilds(cwd: string, timeoutMs: number, log: (message: string) => void): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pids = runningBuilds(cwd);
  if (pids.length) log(`waiting for next build (pid ${pids.join(", ")}) in this project to finish…`);
  while (pids.length) {
    if (Date.now() > deadline)
      throw new Error(`next build (pid ${pids.join(", ")}) still running after ${timeoutMs / 1000}s; run the bench again when it is done`);
    await new Promise((r) => setTimeout(r, 2000));
    pids = runningBuilds(cwd);
  }
}

/** Runs `next build` in the foreground (only when there is no build and nobody is making one). */
export async function buildNext(cwd: string): Promise<void> {
  const child = spawn(path.join(cwd, "node_modules", ".bin", "next"), ["build"], { cwd, stdio: "inherit" });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`next build exited with ${code}`);
}

/**
 * The app's server as `npm start` runs it (scripts/server.ts: Next.js behind
 * the edge) on the existing build, in its own process group so stop() can end
 * the server and any worker it forks by the group id alone. `pid` is the
 * server process itself (Node, not a launcher), whose memory bench/edge.ts reads.
 */
export async function startNext(options: {
  cwd: string;
  port: number;
  env: NodeJS.ProcessEnv;
  readyPath: string;
  timeoutMs?: number;
}): Promise<RunningServer> {
  const { cwd, port, env, readyPath, timeoutMs = 90_000 } = options;
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx/esm", "scripts/server.ts", "-p", String(port), "-H", "127.0.0.1"], {
    cwd,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000); // the tail is enough to explain a failed start
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once("exit", () => ((exited = true), resolve())));
  if (child.pid === undefined) throw new Error("could not spawn the server");
  const pid = child.pid;

  let stopped = false;
  const stop = async () => {
    if (stopped || exited) return;
    stopped = true;
    const signal = (sig: NodeJS.Signals) => {
      try {
        process.kill(-pid, sig);
      } catch {
        // the group is already gone
      }
    };
    signal("SIGTERM");
    const killed = await Promise.race([exit.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5000))]);
    if (!killed) signal("SIGKILL");
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`the server exited before it was ready:\n${output}`);
    try {
      const res = await fetch(url + readyPath);
      await res.arrayBuffer();
      if (res.status < 500) return { url, pid, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`the server was not ready within ${timeoutMs / 1000}s:\n${output}`);
}
