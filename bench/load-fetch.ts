/**
 * The fallback when wrk is missing: `connections` loops of fetch in this
 * process. It shares the CPU with the orchestrator and costs more per
 * request than wrk, so its figures are lower; compare ratios, not totals.
 */
import { UNIQUE } from "./endpoints.ts";
import type { LoadOptions, LoadResult } from "./load.ts";

function percentile(sorted: Float64Array, p: number): number | null {
  if (sorted.length === 0) return null;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? null;
}

export async function fetchLoad(options: LoadOptions): Promise<LoadResult> {
  const { endpoint } = options;
  const headers: Record<string, string> = { ...options.headers };
  if (endpoint.bodyTemplate) headers["content-type"] = "application/json";
  const [before, after] = (endpoint.bodyTemplate ?? "").split(UNIQUE);
  const latencies: number[] = [];
  let index = 0;
  let counter = 0;
  let errors = 0;
  let non2xx = 0;
  const start = performance.now();
  const deadline = start + options.seconds * 1000;

  const worker = async () => {
    while (performance.now() < deadline) {
      const path = endpoint.paths[index++ % endpoint.paths.length]!;
      const body = endpoint.bodyTemplate
        ? `${before}${options.runToken}-${++counter}${after}`
        : null;
      const t0 = performance.now();
      try {
        const res = await fetch(`${options.baseUrl}${path}`, {
          method: endpoint.method,
          headers,
          body,
          signal: AbortSignal.timeout(5000),
        });
        await res.arrayBuffer();
        if (res.status < 200 || res.status > 299) non2xx++;
        latencies.push(performance.now() - t0);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  const seconds = (performance.now() - start) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  return {
    tool: "fetch",
    requests: latencies.length,
    seconds,
    rps: latencies.length / seconds,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    errors,
    non2xx,
  };
}
