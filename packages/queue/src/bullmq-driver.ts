/**
 * The Lucent job API on BullMQ: one BullMQ queue and one Worker per job name,
 * so each name keeps its own concurrency. Retries, backoff, delays, priority,
 * deduplication and cron schedules are BullMQ's own.
 */
import type {
  BackoffOptions,
  DriverJobDefinitions,
  EnqueueOptions,
  JobCounts,
  JobInfo,
  JobState,
  JobsDriver,
  Logger,
} from "@lucent/core";
import type { Job, JobsOptions } from "bullmq";
import { Queue, type Worker } from "bullmq";
import { Redis } from "ioredis";
import { startBullmqWorker } from "./bullmq-worker.ts";
import { closeWorkers } from "./close-workers.ts";
import { decodeJobId, encodeJobId, queueName } from "./job-ids.ts";
import type { QueueOptions } from "./options.ts";
import { resolveQueueOptions } from "./options.ts";
import { upsertCron } from "./upsert-cron.ts";

export type BullmqJobsOptions = QueueOptions;

const DEFAULT_ATTEMPTS = 3;
const CHECK_TIMEOUT_MS = 2000;
// Completed jobs (their data already cleared) stay readable by get() for a day, at most
// this many per job name: BullMQ would otherwise keep every one in Redis memory for good.
const KEEP_COMPLETED = { age: 24 * 60 * 60, count: 1000 };
const DEFAULT_BACKOFF: BackoffOptions = { type: "exponential", delay: 1000 };

const STATES: Record<string, JobState> = {
  waiting: "waiting",
  wait: "waiting",
  prioritized: "waiting",
  "waiting-children": "waiting",
  delayed: "delayed",
  active: "active",
  completed: "completed",
  failed: "failed",
};

export function bullmqJobs(options: BullmqJobsOptions = {}): JobsDriver {
  const { url, prefix } = resolveQueueOptions(options);
  // The set of job names ever enqueued, so counts() can sum queues this process never saw.
  const namesKey = `${prefix}:lucent:job-names`;
  let connection: Redis | undefined;
  const queues = new Map<string, Queue>();
  const registered = new Set<string>();
  let workers: Worker[] = [];
  let definitions: DriverJobDefinitions = {};
  let logger: Logger | undefined;

  const redis = (): Redis => {
    if (connection) return connection;
    // BullMQ's blocking commands must wait as long as they need: no per-request retry limit.
    const conn = new Redis(url, { maxRetriesPerRequest: null });
    // ioredis retries forever and emits an error per try: report an outage once, not per try.
    let reported = false;
    conn.on("error", (err) => {
      if (!reported) logger?.warn({ err }, "Redis connection lost; reconnecting");
      reported = true;
    });
    conn.on("ready", () => {
      reported = false;
    });
    connection = conn;
    return conn;
  };
  const queueFor = (name: string): Queue => {
    let queue = queues.get(name);
    if (!queue) {
      queue = new Queue(queueName(name), { connection: redis(), prefix });
      queues.set(name, queue);
    }
    return queue;
  };

  const jobOptions = (name: string, opts: EnqueueOptions): JobsOptions => {
    const def = definitions[name];
    const backoff = opts.backoff ?? def?.backoff ?? DEFAULT_BACKOFF;
    return {
      attempts: Math.max(1, Math.floor(opts.attempts ?? def?.attempts ?? DEFAULT_ATTEMPTS)),
      backoff: typeof backoff === "number" ? { type: "exponential", delay: backoff } : backoff,
      ...(opts.delay ? { delay: Math.max(0, opts.delay) } : {}),
      ...(opts.priority ? { priority: opts.priority } : {}),
      // Without a ttl, BullMQ keeps the key until the job completes or fails: our dedupe rule.
      ...(opts.dedupeKey === undefined ? {} : { deduplication: { id: opts.dedupeKey } }),
      removeOnComplete: KEEP_COMPLETED,
    };
  };

  async function info<T>(name: string, job: Job): Promise<JobInfo<T> | null> {
    const state = STATES[await job.getState()];
    if (!state || !job.id) return null;
    return {
      id: encodeJobId(name, job.id),
      name,
      data: job.data as T,
      state,
      // attemptsStarted counts a running try, as the built-in driver does.
      attemptsMade: Math.max(job.attemptsMade, job.attemptsStarted ?? 0),
      maxAttempts: job.opts.attempts ?? 1,
      ...(job.failedReason ? { error: job.failedReason } : {}),
      createdAt: new Date(job.timestamp).toISOString(),
      ...(job.finishedOn ? { finishedAt: new Date(job.finishedOn).toISOString() } : {}),
    };
  }

  return {
    name: "bullmq",

    async enqueue(name, data, opts = {}) {
      if (!registered.has(name)) {
        await redis().sadd(namesKey, name);
        registered.add(name);
      }
      const job = await queueFor(name).add(name, data, jobOptions(name, opts));
      return { id: encodeJobId(name, job.id ?? "") };
    },

    async get<T>(id: string) {
      const parsed = decodeJobId(id);
      if (!parsed) return null;
      const job = await queueFor(parsed.name).getJob(parsed.bullId);
      return job ? info<T>(parsed.name, job) : null;
    },

    async counts(name) {
      const names = name === undefined ? await redis().smembers(namesKey) : [name];
      if (name === undefined)
        names.push(...Object.keys(definitions).filter((n) => !names.includes(n)));
      const counts: JobCounts = { waiting: 0, delayed: 0, active: 0, completed: 0, failed: 0 };
      for (const n of names) {
        const raw = await queueFor(n).getJobCounts(
          "waiting",
          "prioritized",
          "waiting-children",
          "delayed",
          "active",
          "completed",
          "failed",
        );
        for (const [type, count] of Object.entries(raw)) {
          const state = STATES[type];
          if (state) counts[state] += count;
        }
      }
      return counts;
    },

    async start(input) {
      if (workers.length > 0) throw new Error("the BullMQ job driver is already started");
      definitions = input.definitions;
      logger = input.logger;
      for (const [name, def] of Object.entries(definitions)) {
        await upsertCron(queueFor(name), name, def, jobOptions(name, {}));
        workers.push(
          startBullmqWorker({ name, def, connection: redis(), prefix, logger: input.logger }),
        );
      }
    },

    async stop(opts = {}) {
      const running = workers;
      workers = [];
      await closeWorkers(running, opts.timeoutMs ?? 10_000);
      const open = [...queues.values()];
      queues.clear();
      await Promise.all(open.map((q) => q.close()));
      const conn = connection;
      connection = undefined;
      registered.clear();
      // QUIT would wait in the offline queue for a Redis that is away.
      if (conn?.status === "ready") await conn.quit().catch(() => conn.disconnect());
      else conn?.disconnect();
    },

    async check() {
      // Commands queue while Redis is away; health must answer instead of waiting with them.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Redis did not answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        );
      });
      try {
        await Promise.race([redis().ping(), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
