/** The one job API, the same on every driver (built-in SQLite, BullMQ). */
import type { LocalApi } from "../kernel/local-api-types.ts";
import type { Logger } from "../kernel/logger.ts";

export type JobState = "waiting" | "delayed" | "active" | "completed" | "failed";

export interface BackoffOptions {
  /** `exponential`: delay * 2^(attempt-1); `fixed`: delay every time. @default "exponential" */
  type: "exponential" | "fixed";
  /** Base delay in milliseconds. @default 1000 */
  delay: number;
}

export interface EnqueueOptions {
  /** Milliseconds to wait before the job may run. @default 0 */
  delay?: number;
  /** Total tries, the first included. @default the job's `attempts`, else 3 */
  attempts?: number;
  /** Retry backoff; a number is an exponential base delay. @default the job's, else exponential 1000 */
  backoff?: BackoffOptions | number;
  /** Lower runs first. @default 0 */
  priority?: number;
  /** While a job of the same name with this key is waiting, delayed or active, enqueueing another returns it instead. */
  dedupeKey?: string;
}

export interface JobInfo<T = unknown> {
  id: string;
  name: string;
  /**
   * The job's data; `null` once the job completed: a finished job keeps no
   * payload in the store (mail jobs carry one-time links).
   */
  data: T | null;
  state: JobState;
  /** Tries made so far. */
  attemptsMade: number;
  maxAttempts: number;
  /** The last error message, for a job that threw. */
  error?: string;
  createdAt: string;
  finishedAt?: string;
}

export type JobCounts = Record<JobState, number>;

/** What a driver passes to a handler. */
export interface JobRunContext {
  id: string;
  name: string;
  /** 1 for the first try. */
  attempt: number;
  logger: Logger;
}

/** What a handler declared in config receives: the run's context and the Local API. */
export interface JobContext extends JobRunContext {
  lucent: LocalApi;
}

export interface JobDefinition<T = unknown, C = JobContext> {
  handler: (data: T, ctx: C) => unknown;
  /** Total tries, the first included. @default 3 */
  attempts?: number;
  /** Jobs of this name run at most this many at once per process. @default 1 */
  concurrency?: number;
  /** @default exponential 1000 ms */
  backoff?: BackoffOptions | number;
  /** A cron expression (5 or 6 fields): the job is enqueued on that schedule with `cronData`. */
  cron?: string;
  /** Data given to cron-enqueued runs. @default {} */
  cronData?: T;
}

export type JobDefinitions = Record<string, JobDefinition<never>>;

/** Definitions as a driver sees them: the kernel has already bound the Local API. */
export type DriverJobDefinitions = Record<string, JobDefinition<never, JobRunContext>>;

/** What `lucent.jobs` offers, whatever the driver. */
export interface JobsApi {
  enqueue<T = unknown>(name: string, data: T, options?: EnqueueOptions): Promise<{ id: string }>;
  get<T = unknown>(id: string): Promise<JobInfo<T> | null>;
  counts(name?: string): Promise<JobCounts>;
  /** Throws when the backing store cannot be reached (health). */
  check?(): Promise<void>;
}

/** A job driver: the API plus a worker lifecycle. */
export interface JobsDriver extends JobsApi {
  readonly name: string;
  /** Starts processing the declared jobs (and their cron schedules). */
  start(input: { definitions: DriverJobDefinitions; logger: Logger }): Promise<void>;
  /** Stops taking jobs and waits up to `timeoutMs` for running ones. */
  stop(options?: { timeoutMs?: number }): Promise<void>;
}
