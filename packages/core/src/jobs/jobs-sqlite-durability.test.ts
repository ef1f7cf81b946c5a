import { Database } from "bun:sqlite";
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "@lucent/conformance";
import { sqliteJobs } from "./jobs-sqlite.ts";

const dir = mkdtempSync(join(tmpdir(), "lucent-durability-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const jobsPath = join(dir, "jobs.sqlite");
const effectsPath = join(dir, "effects.sqlite");
const fixture = join(import.meta.dir, "../../test/fixtures/jobs-worker.ts");
const LEASE_MS = 400;
const JOBS = 400;

const spawnWorker = () =>
  Bun.spawn([process.execPath, fixture, jobsPath, effectsPath, String(LEASE_MS)], {
    stdout: "inherit",
    stderr: "inherit",
  });

function scalar(path: string, sql: string): number {
  let db: Database | undefined;
  try {
    db = new Database(path, { readonly: true });
    return db.query<{ n: number }, []>(sql).get()?.n ?? 0;
  } catch {
    return 0; // the worker has not created the file or table yet
  } finally {
    db?.close();
  }
}

test("a worker killed mid-run loses no job: another worker finishes them, each effect recorded once", async () => {
  const producer = sqliteJobs({ path: jobsPath });
  const ids: string[] = [];
  for (let i = 0; i < JOBS; i++)
    ids.push((await producer.enqueue("effect", { i }, { attempts: 5 })).id);
  await producer.stop();

  const first = spawnWorker();
  await waitFor(
    "the first worker to make progress",
    () => scalar(effectsPath, "select count(*) as n from effects") >= 100,
    15_000,
  );
  first.kill("SIGKILL");
  await first.exited;

  const db = new Database(jobsPath, { readonly: true });
  const orphaned = db
    .query<{ id: string }, []>("select id from lucent_jobs where state = 'active'")
    .all();
  db.close();
  expect(orphaned.length).toBeGreaterThan(0);
  expect(scalar(effectsPath, "select count(*) as n from effects")).toBeLessThan(JOBS);

  const second = spawnWorker();
  await waitFor(
    "every job to complete",
    () =>
      scalar(jobsPath, "select count(*) as n from lucent_jobs where state = 'completed'") === JOBS,
    30_000,
  );
  second.kill("SIGTERM");
  expect(await second.exited).toBe(0);

  const effects = new Database(effectsPath, { readonly: true });
  const done = effects
    .query<{ job_id: string }, []>("select job_id from effects")
    .all()
    .map((r) => r.job_id);
  const runs = effects.query<{ n: number }, []>("select count(*) as n from runs").get()?.n ?? 0;
  effects.close();
  expect(done.length).toBe(JOBS);
  expect(new Set(done)).toEqual(new Set(ids));
  expect(runs).toBeGreaterThanOrEqual(JOBS);

  const check = sqliteJobs({ path: jobsPath });
  expect(await check.counts("effect")).toEqual({
    waiting: 0,
    delayed: 0,
    active: 0,
    completed: JOBS,
    failed: 0,
  });
  for (const { id } of orphaned) expect((await check.get(id))?.state).toBe("completed");
  await check.stop();
}, 60_000);
