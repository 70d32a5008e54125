import { readFileSync, statSync } from "node:fs";

/** Where e2e/serve.ts keeps the server's output (stdout and stderr) for this run. */
export const SERVER_LOG = ".data/e2e/server.log";

/** The log's length now: what a spec reads from, to see only what it caused (and what ran beside it). */
export const logMark = () => statSync(SERVER_LOG).size;

/** What the server logged since `mark`. */
export const loggedSince = (mark: number) => readFileSync(SERVER_LOG).subarray(mark).toString("utf8");
