/**
 * The built-in job driver: a queue in one SQLite file, shared safely by every
 * process that opens it. Delivery is at least once: a job whose process dies
 * mid-run is run again once its lease expires, so handlers should be
 * idempotent.
 */
import { resolveRetry } from "./jobs-backoff.ts";
import { parseCron, scheduleCron } from "./jobs-cron.ts";
import type { JobsStore } from "./jobs-sqlite-store.ts";
import { openJobsStore, toJobInfo } from "./jobs-sqlite-store.ts";
import type { SqliteWorker } from "./jobs-sqlite-worker.ts";
import { startSqliteWorker } from "./jobs-sqlite-worker.ts";
import type { DriverJobDefinitions, EnqueueOptions, JobsDriver } from "./jobs-types.ts";

export interface SqliteJobsOptions {
  /** The SQLite file holding the queue (its folder is created), or ":memory:" for one process. */
  path: string;
  /**
   * How long a claimed job stays reserved for its process. Running jobs have
   * their lease extended, so it only matters when a process dies or hangs:
   * then the job runs again after at most this long.
   * @default 10000
   */
  leaseMs?: number;
  /** How often an idle process looks for due jobs, in milliseconds. @default 100 */
  pollMs?: number;
}

export function sqliteJobs(options: SqliteJobsOptions): JobsDriver {
  // A job whose process died runs again once its lease lapses (renewed every third
  // of it while the job runs): 10 s keeps that well inside 15 s of a restart.
  const leaseMs = options.leaseMs ?? 10_000;
  const pollMs = options.pollMs ?? 100;
  let store: JobsStore | undefined;
  let worker: SqliteWorker | undefined;
  let definitions: DriverJobDefinitions = {};
  const cronStops: Array<() => void> = [];

  // Opened on first use and closed by stop(), so a stopped driver can still answer get().
  const open = (): JobsStore => {
    store ??= openJobsStore(options.path);
    return store;
  };

  const add = (name: string, data: unknown, opts: EnqueueOptions, id: string): string => {
    const def = Object.hasOwn(definitions, name) ? definitions[name] : undefined;
    const { attempts, backoff } = resolveRetry(opts, def);
    const jobId = open().add({
      id,
      name,
      data,
      runAt: Date.now() + Math.max(0, opts.delay ?? 0),
      priority: opts.priority ?? 0,
      attempts,
      backoff,
      dedupeKey: opts.dedupeKey,
    });
    worker?.wake(name);
    return jobId;
  };

  return {
    name: "sqlite",

    async enqueue(name, data, opts = {}) {
      return { id: add(name, data, opts, Bun.randomUUIDv7()) };
    },

    async get(id) {
      const row = open().get(id);
      return row ? toJobInfo(row, Date.now()) : null;
    },

    async counts(name) {
      return open().counts(Date.now(), name);
    },

    async start(input) {
      if (worker) throw new Error("the SQLite job driver is already started");
      definitions = input.definitions;
      const crons = Object.entries(definitions).flatMap(([name, def]) =>
        def.cron ? [{ name, def, cron: parseCron(name, def.cron) }] : [],
      );
      worker = startSqliteWorker({
        store: open(),
        definitions,
        logger: input.logger,
        leaseMs,
        pollMs,
      });
      for (const { name, def, cron } of crons) {
        cronStops.push(
          scheduleCron(cron, (tickMs) => {
            // The id is the tick itself: every process computes the same one, so only one insert lands.
            const id = `cron:${name}:${new Date(tickMs).toISOString()}`;
            try {
              add(name, def.cronData ?? {}, {}, id);
            } catch (err) {
              input.logger.error({ err, job: name }, "could not enqueue a cron run");
            }
          }),
        );
      }
    },

    async stop(opts = {}) {
      for (const stopCron of cronStops.splice(0)) stopCron();
      await worker?.stop(opts.timeoutMs ?? 10_000);
      worker = undefined;
      // Closing an in-memory database would throw its jobs away.
      if (options.path === ":memory:") return;
      store?.close();
      store = undefined;
    },

    async check() {
      open().ping();
    },
  };
}
