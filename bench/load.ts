/** Load generation: wrk when installed, a built-in fetch loop otherwise. */
import type { Endpoint } from "./endpoints.ts";
import { fetchLoad } from "./load-fetch.ts";
import { wrkLoad } from "./load-wrk.ts";
import type { LoadTool } from "./options.ts";

export interface LoadOptions {
  /** `http://127.0.0.1:<port>`; nothing else is accepted. */
  baseUrl: string;
  endpoint: Endpoint;
  seconds: number;
  connections: number;
  threads: number;
  headers: Record<string, string>;
  /** Prefix of the unique token in request bodies; differs per run and server. */
  runToken: string;
}

export interface LoadResult {
  tool: "wrk" | "fetch";
  requests: number;
  seconds: number;
  rps: number;
  /** Latency percentiles in milliseconds. */
  p50Ms: number | null;
  p99Ms: number | null;
  /** Connection errors and timeouts. */
  errors: number;
  /** Responses outside 2xx. */
  non2xx: number;
}

export type LoadRunner = (options: LoadOptions) => Promise<LoadResult>;

export function assertLocal(baseUrl: string): void {
  const url = new URL(baseUrl);
  if (url.hostname !== "127.0.0.1")
    throw new Error(`load is only sent to 127.0.0.1, not ${url.hostname}`);
}

/** The runner the `--tool` option names; `auto` picks wrk when it is on PATH. */
export function loadRunner(tool: LoadTool): LoadRunner {
  const hasWrk = Bun.which("wrk") !== null;
  if (tool === "wrk" && !hasWrk)
    throw new Error("--tool wrk: wrk is not installed (apt-get install -y wrk)");
  const runner = tool === "fetch" || !hasWrk ? fetchLoad : wrkLoad;
  return (options) => {
    assertLocal(options.baseUrl);
    return runner(options);
  };
}

export function toolName(tool: LoadTool): "wrk" | "fetch" {
  return tool === "fetch" || Bun.which("wrk") === null ? "fetch" : "wrk";
}

/** Rounds of one endpoint on one server as one result: overall rate, mean p50, worst p99. */
export function combineResults(results: readonly LoadResult[]): LoadResult {
  const requests = results.reduce((n, r) => n + r.requests, 0);
  const seconds = results.reduce((n, r) => n + r.seconds, 0);
  const p50s = results.flatMap((r) => (r.p50Ms === null ? [] : [r.p50Ms]));
  const p99s = results.flatMap((r) => (r.p99Ms === null ? [] : [r.p99Ms]));
  return {
    tool: results[0]?.tool ?? "wrk",
    requests,
    seconds,
    rps: seconds > 0 ? requests / seconds : 0,
    p50Ms: p50s.length ? p50s.reduce((a, b) => a + b, 0) / p50s.length : null,
    p99Ms: p99s.length ? Math.max(...p99s) : null,
    errors: results.reduce((n, r) => n + r.errors, 0),
    non2xx: results.reduce((n, r) => n + r.non2xx, 0),
  };
}
