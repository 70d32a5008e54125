import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
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

/** Runs `next build` in the foreground (only when there is no build at all). */
export async function buildNext(cwd: string): Promise<void> {
  const child = spawn(path.join(cwd, "node_modules", ".bin", "next"), ["build"], { cwd, stdio: "inherit" });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`next build exited with ${code}`);
}

/**
 * `next start` on the existing build, in its own process group so stop() can
 * end the server and any worker it forks by the group id alone.
 */
export async function startNext(options: { cwd: string; port: number; env: NodeJS.ProcessEnv; readyPath: string; timeoutMs?: number }): Promise<RunningServer> {
  const { cwd, port, env, readyPath, timeoutMs = 90_000 } = options;
  const child: ChildProcess = spawn(path.join(cwd, "node_modules", ".bin", "next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
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
  if (child.pid === undefined) throw new Error("could not spawn next start");
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
    if (exited) throw new Error(`next start exited before it was ready:\n${output}`);
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
  throw new Error(`next start was not ready within ${timeoutMs / 1000}s:\n${output}`);
}
