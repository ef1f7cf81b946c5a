/** The side-by-side table and the raw JSON under bench/results/. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { LoadResult } from "./load.ts";
import type { Side } from "./options.ts";

export interface EndpointResult {
  endpoint: string;
  label: string;
  /** Over all rounds: requests per second overall, mean p50, worst p99. */
  results: Partial<Record<Side, LoadResult>>;
  /** Each round as measured. */
  rounds: Array<Partial<Record<Side, LoadResult>>>;
}

const fmt = (n: number | null | undefined, digits = 0) =>
  n === null || n === undefined
    ? "–"
    : n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

function latency(r: LoadResult | undefined): string {
  return r ? `${fmt(r.p50Ms, 2)} / ${fmt(r.p99Ms, 2)}` : "–";
}

function problems(r: LoadResult | undefined): string {
  if (!r || (r.errors === 0 && r.non2xx === 0)) return "";
  return ` (${r.non2xx} non-2xx, ${r.errors} errors)`;
}

/** Markdown, so the README can take it as is. */
export function formatTable(rows: readonly EndpointResult[]): string {
  const lines = [
    "| endpoint | baseline req/s | lucent req/s | ratio | baseline p50 / p99 ms | lucent p50 / p99 ms |",
    "|---|---:|---:|---:|---:|---:|",
  ];
  for (const row of rows) {
    const { baseline, lucent } = row.results;
    const ratio = baseline && lucent ? fmt(lucent.rps / baseline.rps, 2) : "–";
    lines.push(
      `| ${row.label} | ${fmt(baseline?.rps)}${problems(baseline)} | ${fmt(lucent?.rps)}${problems(lucent)} | ${ratio} | ${latency(baseline)} | ${latency(lucent)} |`,
    );
  }
  return lines.join("\n");
}

/** Writes `bench/results/<timestamp>.json` and returns its path. */
export function writeResults(dir: string, name: string, data: unknown): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, "-")}-${name}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}
