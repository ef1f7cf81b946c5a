/**
 * Job throughput: the built-in SQLite driver, the @lucent/queue (BullMQ)
 * driver, and plain BullMQ doing the same work.
 *
 *   bun --conditions=lucent-source bench/jobs.ts
 *
 * "enqueue": N awaited enqueues, one after another, no worker running.
 * "end to end c=K": a worker with concurrency K is running; time from the
 * first enqueue to the last of N no-op jobs completed.
 * Env: BENCH_JOBS (default 10000), REDIS_URL (default redis://127.0.0.1:6379).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sqliteJobs } from "../packages/core/src/jobs/jobs-sqlite.ts";
import type { JobsDriver } from "../packages/core/src/jobs/jobs-types.ts";
import { createLogger } from "../packages/core/src/kernel/logger.ts";
import { bullmqJobs } from "../packages/queue/src/bullmq-driver.ts";

// bullmq and ioredis are dependencies of @lucent/queue, not of the repo root.
const fromQueue = (id: string) => Bun.resolveSync(id, join(import.meta.dir, "../packages/queue"));
const { Queue, Worker } = (await import(fromQueue("bullmq"))) as typeof import("bullmq");
const { Redis } = (await import(fromQueue("ioredis"))) as typeof import("ioredis");

const N = Number(Bun.env.BENCH_JOBS ?? 10_000);
const url = Bun.env.REDIS_URL || "redis://127.0.0.1:6379";
const run = `lucent-bench-${Date.now().toString(36)}`;
const dir = mkdtempSync(join(tmpdir(), "lucent-bench-"));
const logger = createLogger({ level: "silent" });
let seq = 0;

/** The operations each contender must provide; everything else is shared. */
interface Contender {
  name: string;
  /** Enqueues N jobs and returns the seconds taken. */
  enqueue(): Promise<number>;
  /** Runs N jobs end to end with a worker at `concurrency`; returns the seconds taken. */
  endToEnd(concurrency: number): Promise<number>;
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await Bun.sleep(1);
}

function lucentContender(name: string, make: () => JobsDriver): Contender {
  return {
    name,
    async enqueue() {
      const driver = make();
      const t0 = performance.now();
      for (let i = 0; i < N; i++) await driver.enqueue("noop", { i });
      const s = (performance.now() - t0) / 1000;
      await driver.stop();
      return s;
    },
    async endToEnd(concurrency) {
      const driver = make();
      let done = 0;
      await driver.start({
        logger,
        definitions: { noop: { concurrency, handler: () => void done++ } },
      });
      const t0 = performance.now();
      for (let i = 0; i < N; i++) await driver.enqueue("noop", { i });
      await until(() => done === N);
      const s = (performance.now() - t0) / 1000;
      await driver.stop();
      return s;
    },
  };
}

function plainBullmq(): Contender {
  const open = () => {
    const connection = new Redis(url, { maxRetriesPerRequest: null });
    const prefix = `${run}-plain-${seq++}`;
    return { connection, prefix, queue: new Queue("noop", { connection, prefix }) };
  };
  return {
    name: "plain BullMQ",
    async enqueue() {
      const { connection, queue } = open();
      const t0 = performance.now();
      for (let i = 0; i < N; i++) await queue.add("noop", { i }, { attempts: 3 });
      const s = (performance.now() - t0) / 1000;
      await queue.close();
      await connection.quit();
      return s;
    },
    async endToEnd(concurrency) {
      const { connection, prefix, queue } = open();
      let done = 0;
      const worker = new Worker("noop", async () => void done++, {
        connection,
        prefix,
        concurrency,
      });
      const t0 = performance.now();
      for (let i = 0; i < N; i++) await queue.add("noop", { i }, { attempts: 3 });
      await until(() => done === N);
      const s = (performance.now() - t0) / 1000;
      await worker.close();
      await queue.close();
      await connection.quit();
      return s;
    },
  };
}

const contenders = [
  lucentContender("@lucent/core sqlite", () =>
    sqliteJobs({ path: join(dir, `jobs-${seq++}.sqlite`) }),
  ),
  lucentContender("@lucent/queue", () => bullmqJobs({ url, prefix: `${run}-lucent-${seq++}` })),
  plainBullmq(),
];

const scenarios: Array<{ name: string; measure: (c: Contender) => Promise<number> }> = [
  { name: "enqueue", measure: (c) => c.enqueue() },
  { name: "end to end c=1", measure: (c) => c.endToEnd(1) },
  { name: "end to end c=50", measure: (c) => c.endToEnd(50) },
];

const rows: string[][] = [];
try {
  for (const scenario of scenarios) {
    const rates = new Map<string, number>();
    for (const contender of contenders)
      rates.set(contender.name, N / (await scenario.measure(contender)));
    const baseline = rates.get("plain BullMQ") ?? 1;
    for (const [name, rate] of rates) {
      rows.push([
        scenario.name,
        name,
        Math.round(rate).toLocaleString("en-US"),
        `${(rate / baseline).toFixed(2)}x`,
      ]);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  const redis = new Redis(url);
  for (const pattern of [`${run}-*`]) {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  }
  await redis.quit();
}

const header = ["scenario", "driver", "jobs/s", "vs plain BullMQ"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
const line = (cells: string[]) =>
  `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
console.log(`${N.toLocaleString("en-US")} no-op jobs, Bun ${Bun.version}\n`);
console.log(line(header));
console.log(line(widths.map((w) => "-".repeat(w))));
for (const row of rows) console.log(line(row));
