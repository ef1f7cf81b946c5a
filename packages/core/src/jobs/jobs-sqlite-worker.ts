/**
 * The processing loop of the built-in queue. One timer drives it: each cycle
 * writes the tries that finished since the last one, extends the leases of
 * those still running and claims due jobs for the free slots, all in one
 * short transaction.
 */

import type { Logger } from "../kernel/logger.ts";
import { backoffDelay } from "./jobs-backoff.ts";
import type { JobOutcome, JobRow, JobsStore } from "./jobs-sqlite-store.ts";
import type { DriverJobDefinitions, JobRunContext } from "./jobs-types.ts";

export interface SqliteWorkerOptions {
  store: JobsStore;
  definitions: DriverJobDefinitions;
  logger: Logger;
  leaseMs: number;
  pollMs: number;
}

export interface SqliteWorker {
  /** Looks for work now instead of at the next poll (a job of `name` was just enqueued here). */
  wake(name: string): void;
  /** Stops claiming, waits up to `timeoutMs` for running handlers, records what finished. */
  stop(timeoutMs: number): Promise<void>;
}

export function startSqliteWorker(options: SqliteWorkerOptions): SqliteWorker {
  const { store, definitions, logger, leaseMs, pollMs } = options;
  const inFlight = new Map<string, number>();
  const running = new Map<string, { attempt: number; done: Promise<void> }>();
  let outcomes: JobOutcome[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let immediate: ReturnType<typeof setImmediate> | undefined;
  let stopped = false;
  let nextRenewAt = Date.now() + leaseMs / 3;

  const schedule = (delay: number) => {
    if (stopped || immediate !== undefined) return;
    clearTimeout(timer);
    timer = undefined;
    if (delay <= 0) {
      // setTimeout(0) waits about a millisecond, which caps a busy queue at ~1,000 cycles/s.
      immediate = setImmediate(tick);
      return;
    }
    timer = setTimeout(tick, delay);
  };

  const freeSlots = () => {
    const claims: Array<{ name: string; limit: number }> = [];
    for (const [name, def] of Object.entries(definitions)) {
      const limit = (def.concurrency ?? 1) - (inFlight.get(name) ?? 0);
      if (limit > 0) claims.push({ name, limit });
    }
    return claims;
  };

  const runCycle = (claims: Array<{ name: string; limit: number }>): JobRow[] => {
    const now = Date.now();
    const renew =
      now >= nextRenewAt ? [...running].map(([id, r]) => ({ id, attempt: r.attempt })) : [];
    if (renew.length > 0 || now >= nextRenewAt) nextRenewAt = now + leaseMs / 3;
    const finished = outcomes;
    outcomes = [];
    try {
      return store.cycle({ now, leaseMs, outcomes: finished, renew, claims });
    } catch (err) {
      // Nothing was written: keep the outcomes for the next cycle.
      outcomes = finished.concat(outcomes);
      throw err;
    }
  };

  function tick(): void {
    timer = undefined;
    immediate = undefined;
    if (stopped) return;
    let claimed: JobRow[] = [];
    const claims = freeSlots();
    try {
      claimed = runCycle(claims);
    } catch (err) {
      logger.error({ err }, "job queue cycle failed; retrying");
    }
    for (const row of claimed) run(row);
    // A full batch suggests more are due; otherwise sleep until the next poll.
    const full = claims.some((c) => claimed.filter((r) => r.name === c.name).length >= c.limit);
    schedule(full && freeSlots().length > 0 ? 0 : pollMs);
  }

  function run(row: JobRow): void {
    // Own names only: a job named "constructor" has no handler.
    const def = Object.hasOwn(definitions, row.name) ? definitions[row.name] : undefined;
    if (!def) return;
    inFlight.set(row.name, (inFlight.get(row.name) ?? 0) + 1);
    const attempt = row.attempts_made;
    const ctx: JobRunContext = {
      id: row.id,
      name: row.name,
      attempt,
      logger: logger.child({ job: row.name, jobId: row.id, attempt }),
    };
    const done = (async () => def.handler(JSON.parse(row.data) as never, ctx))().then(
      () => {
        outcomes.push({ id: row.id, attempt, kind: "completed" });
      },
      (err: unknown) => {
        const error = err instanceof Error ? err.message : String(err);
        if (attempt < row.max_attempts) {
          const wait = backoffDelay({ type: row.backoff_type, delay: row.backoff_delay }, attempt);
          ctx.logger.warn({ err, retryInMs: wait }, "job failed; retrying");
          outcomes.push({ id: row.id, attempt, kind: "retry", error, runAt: Date.now() + wait });
        } else {
          ctx.logger.error({ err }, "job failed; no tries left");
          outcomes.push({ id: row.id, attempt, kind: "failed", error });
        }
      },
    );
    running.set(row.id, {
      attempt,
      done: done.finally(() => {
        running.delete(row.id);
        inFlight.set(row.name, (inFlight.get(row.name) ?? 1) - 1);
        schedule(0);
      }),
    });
  }

  schedule(0);

  return {
    wake(name) {
      if (Object.hasOwn(definitions, name)) schedule(0);
    },
    async stop(timeoutMs) {
      stopped = true;
      clearTimeout(timer);
      clearImmediate(immediate);
      const all = Promise.all([...running.values()].map((r) => r.done));
      let timeout: ReturnType<typeof setTimeout> | undefined;
      const timedOut = await Promise.race([
        all.then(() => false),
        new Promise<boolean>((resolve) => {
          timeout = setTimeout(() => resolve(true), timeoutMs);
        }),
      ]);
      clearTimeout(timeout);
      if (timedOut) {
        logger.warn(
          { running: running.size, timeoutMs },
          "jobs still running at shutdown; they run again once their lease expires",
        );
      }
      if (outcomes.length > 0) runCycle([]);
    },
  };
}
