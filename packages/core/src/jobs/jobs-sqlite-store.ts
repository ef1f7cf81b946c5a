/**
 * The built-in queue's table on bun:sqlite. Every write that must not race
 * another process runs in a `BEGIN IMMEDIATE` transaction, kept short: a
 * writer holding the lock in a tight loop starves the other processes.
 */
import { Database } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { BackoffOptions, JobCounts, JobInfo } from "./jobs-types.ts";

/** `queued` covers both waiting and delayed: which one depends on `run_at`. */
type StoredState = "queued" | "active" | "completed" | "failed";

export interface JobRow {
  id: string;
  name: string;
  data: string;
  state: StoredState;
  priority: number;
  run_at: number;
  attempts_made: number;
  max_attempts: number;
  backoff_type: BackoffOptions["type"];
  backoff_delay: number;
  dedupe_key: string | null;
  locked_until: number | null;
  error: string | null;
  created_at: number;
  finished_at: number | null;
}

export interface NewJob {
  id: string;
  name: string;
  data: unknown;
  runAt: number;
  priority: number;
  attempts: number;
  backoff: BackoffOptions;
  dedupeKey?: string | undefined;
}

/** How a claimed try ended; `attempt` guards against writing over a job another process re-claimed. */
export type JobOutcome =
  | { id: string; attempt: number; kind: "completed" }
  | { id: string; attempt: number; kind: "retry"; error: string; runAt: number }
  | { id: string; attempt: number; kind: "failed"; error: string };

export interface CycleInput {
  now: number;
  leaseMs: number;
  outcomes: readonly JobOutcome[];
  /** Running tries whose lease this process extends. */
  renew: ReadonlyArray<{ id: string; attempt: number }>;
  /** How many jobs to claim per name. */
  claims: ReadonlyArray<{ name: string; limit: number }>;
}

const SCHEMA = `
create table if not exists lucent_jobs (
  id text primary key,
  name text not null,
  data text not null,
  state text not null,
  priority integer not null default 0,
  run_at integer not null,
  attempts_made integer not null default 0,
  max_attempts integer not null,
  backoff_type text not null,
  backoff_delay integer not null,
  dedupe_key text,
  locked_until integer,
  error text,
  created_at integer not null,
  finished_at integer
);
create index if not exists lucent_jobs_ready on lucent_jobs (name, state, priority, run_at);
create index if not exists lucent_jobs_lease on lucent_jobs (state, locked_until);
create unique index if not exists lucent_jobs_dedupe on lucent_jobs (name, dedupe_key)
  where dedupe_key is not null and state in ('queued', 'active');
`;

const GUARD = "where id = ? and state = 'active' and attempts_made = ?";

export type JobsStore = ReturnType<typeof openJobsStore>;

export function openJobsStore(path: string) {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { create: true });
  // busy_timeout first: the WAL switch itself may meet another process's lock.
  db.run("pragma busy_timeout = 5000");
  db.run("pragma journal_mode = wal");
  // In WAL, NORMAL loses nothing when a process dies, only on power loss.
  db.run("pragma synchronous = normal");
  // A cleared payload must not live on in the page's free space (mail links): zero
  // freed cells, at no extra I/O.
  db.run("pragma secure_delete = fast");
  db.run(SCHEMA);

  const insert = db.query<
    null,
    [string, string, string, number, number, number, string, number, string | null, number]
  >(
    `insert into lucent_jobs (id, name, data, state, priority, run_at, max_attempts, backoff_type, backoff_delay, dedupe_key, created_at)
     values (?1, ?2, ?3, 'queued', ?4, ?5, ?6, ?7, ?8, ?9, ?10) on conflict (id) do nothing`,
  );
  const pending = db.query<{ id: string }, [string, string]>(
    "select id from lucent_jobs where name = ? and dedupe_key = ? and state in ('queued', 'active') limit 1",
  );
  const byId = db.query<JobRow, [string]>("select * from lucent_jobs where id = ?");
  const countAll = db.query<{ state: StoredState; later: number; n: number }, [number]>(
    "select state, run_at > ? as later, count(*) as n from lucent_jobs group by 1, 2",
  );
  const countName = db.query<{ state: StoredState; later: number; n: number }, [number, string]>(
    "select state, run_at > ? as later, count(*) as n from lucent_jobs where name = ? group by 1, 2",
  );
  const complete = db.query(
    // The payload goes with the completion, in the same statement: a delivered
    // mail's one-time link is not kept.
    `update lucent_jobs set state = 'completed', data = 'null', finished_at = ?, locked_until = null ${GUARD}`,
  );
  const retry = db.query(
    `update lucent_jobs set state = 'queued', run_at = ?, error = ?, locked_until = null ${GUARD}`,
  );
  const fail = db.query(
    `update lucent_jobs set state = 'failed', error = ?, finished_at = ?, locked_until = null ${GUARD}`,
  );
  const renew = db.query(`update lucent_jobs set locked_until = ? ${GUARD}`);
  // A lease that ran out means its process died or hung: run the job again, or give up
  // once its tries are spent so a job that kills its process cannot loop forever.
  const requeueExpired = db.query(
    "update lucent_jobs set state = 'queued', locked_until = null where state = 'active' and locked_until <= ? and attempts_made < max_attempts",
  );
  const failExpired = db.query(
    "update lucent_jobs set state = 'failed', finished_at = ?1, locked_until = null, error = 'the lease expired before the job finished (its process stopped or hung)' where state = 'active' and locked_until <= ?1",
  );
  const claim = db.query<JobRow, [number, number, string, number]>(
    `update lucent_jobs set state = 'active', attempts_made = attempts_made + 1, locked_until = ?1
     where id in (select id from lucent_jobs where name = ?3 and state = 'queued' and run_at <= ?2
                  order by priority, run_at limit ?4)
     returning *`,
  );

  const addWithKey = db.transaction((job: NewJob): string => {
    const existing = pending.get(job.name, job.dedupeKey ?? "");
    if (existing) return existing.id;
    insertJob(job);
    return job.id;
  });

  function insertJob(job: NewJob): void {
    const data = JSON.stringify(job.data) ?? "null";
    insert.run(
      job.id,
      job.name,
      data,
      job.priority,
      job.runAt,
      job.attempts,
      job.backoff.type,
      job.backoff.delay,
      job.dedupeKey ?? null,
      Date.now(),
    );
  }

  const cycle = db.transaction((input: CycleInput): JobRow[] => {
    const { now } = input;
    for (const o of input.outcomes) {
      if (o.kind === "completed") complete.run(now, o.id, o.attempt);
      else if (o.kind === "retry") retry.run(o.runAt, o.error, o.id, o.attempt);
      else fail.run(o.error, now, o.id, o.attempt);
    }
    for (const r of input.renew) renew.run(now + input.leaseMs, r.id, r.attempt);
    requeueExpired.run(now);
    failExpired.run(now);
    const claimed: JobRow[] = [];
    for (const c of input.claims)
      claimed.push(...claim.all(now + input.leaseMs, now, c.name, c.limit));
    return claimed;
  });

  return {
    /** Adds a job; with a dedupe key, returns the pending job of that name holding the key instead. */
    add(job: NewJob): string {
      if (job.dedupeKey === undefined) {
        insertJob(job);
        return job.id;
      }
      return addWithKey.immediate(job);
    },
    get(id: string): JobRow | null {
      return byId.get(id);
    },
    counts(now: number, name?: string): JobCounts {
      const counts: JobCounts = { waiting: 0, delayed: 0, active: 0, completed: 0, failed: 0 };
      const rows = name === undefined ? countAll.all(now) : countName.all(now, name);
      for (const row of rows) {
        const state = row.state === "queued" ? (row.later ? "delayed" : "waiting") : row.state;
        counts[state] += row.n;
      }
      return counts;
    },
    /** One short transaction: record finished tries, extend leases, recover expired ones, claim. */
    cycle(input: CycleInput): JobRow[] {
      return cycle.immediate(input);
    },
    ping(): void {
      db.query("select 1").get();
    },
    close(): void {
      db.close();
    },
  };
}

export function toJobInfo<T>(row: JobRow, now: number): JobInfo<T> {
  const state = row.state === "queued" ? (row.run_at > now ? "delayed" : "waiting") : row.state;
  return {
    id: row.id,
    name: row.name,
    data: JSON.parse(row.data) as T,
    state,
    attemptsMade: row.attempts_made,
    maxAttempts: row.max_attempts,
    ...(row.error === null ? {} : { error: row.error }),
    createdAt: new Date(row.created_at).toISOString(),
    ...(row.finished_at === null ? {} : { finishedAt: new Date(row.finished_at).toISOString() }),
  };
}
