/**
 * The rules every job driver keeps, run by each driver's own tests:
 * `jobsDriverSuite("sqlite", () => sqliteJobs({ path: ":memory:" }))`; the
 * rules that need worker processes (12, 13) are in `jobs-crash.ts`. Each test
 * is named after the rule it checks.
 *
 * 1. Retries with growing backoff. A job that throws runs again after its
 *    backoff (`exponential`: delay * 2^(try-1); `fixed`) until it succeeds.
 * 2. Failed jobs are kept. Once its tries are spent a job is `failed`, with its
 *    last error, the tries made, its data and `finishedAt`.
 * 3. Delay. A delayed job is `delayed` and does not run before its delay.
 * 4. Cron. A definition with `cron` is enqueued on each tick with `cronData`,
 *    each run with its own id.
 * 5. Concurrency. Jobs of one name never run more than its `concurrency` at
 *    once in one process.
 * 6. Dedupe. While the job of a name holding a `dedupeKey` is waiting, delayed
 *    or active, enqueueing with that key returns it; once it finished, a new
 *    job is made.
 * 7. Priority. A lower number runs first.
 * 8. Graceful stop. `stop` waits for running jobs (up to its timeout) and
 *    records how they ended.
 * 9. A completed job keeps no payload in the store. `get` reports it with
 *    `data: null` (mail jobs carry one-time links that must not outlive their
 *    delivery), and what its handler returned is not kept either; a failed job
 *    keeps its data so it can be inspected.
 * 10. A job with no handler in this process stays waiting, untried.
 * 11. `get` describes a job (null for an unknown id); `counts` reports states
 *    by name, or over every name.
 * 12. A job whose worker process was killed runs again within 15 s of a new
 *    worker's start, once.
 * 13. A healthy job that runs longer than that is not handed to another
 *    worker: its lock or lease is renewed while it runs.
 */
import { afterEach, describe, expect, test } from "bun:test";
// Core's own tests run this suite, so depending on @lucent/core would make a
// workspace cycle: the suite reads the driver contract from core's source instead.
import type {
  DriverJobDefinitions,
  JobRunContext,
  JobsDriver,
} from "../../../packages/core/src/jobs/jobs-types.ts";
import { createLogger } from "../../../packages/core/src/kernel/logger.ts";

const logger = createLogger({ level: "silent" });

/** Polls `check` until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(20);
  }
}

type Handler = (data: never, ctx: JobRunContext) => unknown;

export function jobsDriverSuite(name: string, makeDriver: () => Promise<JobsDriver> | JobsDriver) {
  describe(`jobs driver: ${name}`, () => {
    let drivers: JobsDriver[] = [];

    afterEach(async () => {
      await Promise.all(drivers.map((d) => d.stop({ timeoutMs: 2000 })));
      drivers = [];
    });

    async function driverWith(
      definitions: DriverJobDefinitions,
      before?: (d: JobsDriver) => Promise<void>,
    ) {
      const driver = await makeDriver();
      drivers.push(driver);
      await before?.(driver);
      await driver.start({ definitions, logger });
      return driver;
    }

    const job = (handler: Handler, rest: Omit<DriverJobDefinitions[string], "handler"> = {}) => ({
      ...rest,
      handler,
    });

    test("a job that throws is retried with growing backoff until it succeeds", async () => {
      const tries: number[] = [];
      const driver = await driverWith({
        flaky: job((_data, ctx) => {
          tries.push(Date.now());
          if (ctx.attempt < 3) throw new Error(`try ${ctx.attempt} failed`);
        }),
      });
      const { id } = await driver.enqueue(
        "flaky",
        {},
        { attempts: 3, backoff: { type: "exponential", delay: 150 } },
      );
      await waitFor(
        "the third try to complete",
        async () => (await driver.get(id))?.state === "completed",
      );
      const [first = 0, second = 0, third = 0] = tries;
      expect(tries).toHaveLength(3);
      expect(second - first).toBeGreaterThanOrEqual(140);
      expect(third - second).toBeGreaterThan(second - first);
      expect((await driver.get(id))?.attemptsMade).toBe(3);
    });

    test("a job that keeps throwing is kept as failed with its last error and tries made", async () => {
      const driver = await driverWith({
        broken: job((_data, ctx) => {
          throw new Error(`broken on try ${ctx.attempt}`);
        }),
      });
      const { id } = await driver.enqueue(
        "broken",
        { n: 1 },
        { attempts: 2, backoff: { type: "fixed", delay: 50 } },
      );
      await waitFor("the job to fail", async () => (await driver.get(id))?.state === "failed");
      const info = await driver.get(id);
      expect(info).toMatchObject({
        name: "broken",
        data: { n: 1 },
        attemptsMade: 2,
        maxAttempts: 2,
      });
      expect(info?.error).toContain("broken on try 2");
      expect(info?.finishedAt).toBeString();
      expect((await driver.counts("broken")).failed).toBe(1);
    });

    test("a delayed job waits for its delay before it runs", async () => {
      let ranAt = 0;
      const driver = await driverWith({
        later: job(() => {
          ranAt = Date.now();
        }),
      });
      const enqueuedAt = Date.now();
      const { id } = await driver.enqueue("later", {}, { delay: 400 });
      expect((await driver.get(id))?.state).toBe("delayed");
      await waitFor("the delayed job to run", () => ranAt > 0);
      expect(ranAt - enqueuedAt).toBeGreaterThanOrEqual(390);
    });

    test("a cron schedule enqueues a run on each tick", async () => {
      const runs: Array<{ id: string; data: unknown }> = [];
      await driverWith({
        tick: job((data, ctx) => void runs.push({ id: ctx.id, data }), {
          cron: "* * * * * *",
          cronData: { from: "cron" } as never,
        }),
      });
      await waitFor("two cron runs", () => runs.length >= 2, 4000);
      expect(new Set(runs.map((r) => r.id)).size).toBe(runs.length);
      expect(runs[0]?.data).toEqual({ from: "cron" });
    });

    test("jobs of one name never run more than its concurrency at once", async () => {
      let current = 0;
      let most = 0;
      let done = 0;
      const driver = await driverWith({
        busy: job(
          async () => {
            most = Math.max(most, ++current);
            await Bun.sleep(30);
            current--;
            done++;
          },
          { concurrency: 3 },
        ),
      });
      for (let i = 0; i < 20; i++) await driver.enqueue("busy", { i });
      await waitFor("all twenty jobs", () => done === 20);
      expect(most).toBeLessThanOrEqual(3);
      expect(most).toBeGreaterThan(1);
    });

    test("enqueueing with a dedupe key while that job is pending returns the pending job", async () => {
      const seen: unknown[] = [];
      const driver = await driverWith({ once: job((data) => void seen.push(data)) });
      const first = await driver.enqueue("once", { v: 1 }, { dedupeKey: "user-7", delay: 300 });
      const second = await driver.enqueue("once", { v: 2 }, { dedupeKey: "user-7" });
      expect(second.id).toBe(first.id);
      expect((await driver.counts("once")).delayed).toBe(1);
      await waitFor(
        "the job to complete",
        async () => (await driver.get(first.id))?.state === "completed",
      );
      const third = await driver.enqueue("once", { v: 3 }, { dedupeKey: "user-7" });
      expect(third.id).not.toBe(first.id);
      await waitFor("the new job to run", () => seen.length === 2);
      expect(seen).toEqual([{ v: 1 }, { v: 3 }]);
    });

    test("a lower priority number runs first", async () => {
      const order: number[] = [];
      await driverWith(
        { ranked: job((data: { p: number }) => void order.push(data.p)) },
        async (d) => {
          for (const p of [3, 1, 2]) await d.enqueue("ranked", { p }, { priority: p });
        },
      );
      await waitFor("three runs", () => order.length === 3);
      expect(order).toEqual([1, 2, 3]);
    });

    test("stop waits for a running job to finish", async () => {
      let started = false;
      let finished = false;
      const driver = await driverWith({
        slow: job(async () => {
          started = true;
          await Bun.sleep(300);
          finished = true;
        }),
      });
      const { id } = await driver.enqueue("slow", {});
      await waitFor("the job to start", () => started);
      await driver.stop({ timeoutMs: 5000 });
      expect(finished).toBe(true);
      expect((await driver.get(id))?.state).toBe("completed");
    });

    test("a completed job keeps no payload in the store; a failed one keeps its data", async () => {
      const driver = await driverWith({
        // A mail API may answer with the message it sent: the answer is not kept either.
        ok: job((data) => ({ sent: data })),
        bad: job(() => {
          throw new Error("no");
        }),
      });
      const ok = await driver.enqueue("ok", { link: "https://example.com/reset?token=secret" });
      const bad = await driver.enqueue("bad", { keep: true }, { attempts: 1 });
      await waitFor("the job to complete", async () => {
        const info = await driver.get(ok.id);
        return info?.state === "completed" && info.data === null;
      });
      await waitFor(
        "the other job to fail",
        async () => (await driver.get(bad.id))?.state === "failed",
      );
      expect(await driver.get(ok.id)).toMatchObject({ state: "completed", data: null });
      expect(await driver.get(bad.id)).toMatchObject({ state: "failed", data: { keep: true } });
    });

    test("a job with no handler in this process stays waiting", async () => {
      const driver = await driverWith({ other: job(() => {}) });
      const { id } = await driver.enqueue("unhandled", { x: 1 });
      await Bun.sleep(300);
      expect(await driver.get(id)).toMatchObject({ state: "waiting", attemptsMade: 0 });
    });

    test("get describes a job and counts report states by name", async () => {
      const driver = await driverWith({});
      const a = await driver.enqueue("a", { hello: "world" }, { attempts: 5 });
      await driver.enqueue("a", {});
      await driver.enqueue("b", {}, { delay: 60_000 });
      expect(await driver.get(a.id)).toMatchObject({
        id: a.id,
        name: "a",
        data: { hello: "world" },
        state: "waiting",
        attemptsMade: 0,
        maxAttempts: 5,
      });
      expect(Date.parse((await driver.get(a.id))?.createdAt ?? "")).not.toBeNaN();
      expect(await driver.counts("a")).toEqual({
        waiting: 2,
        delayed: 0,
        active: 0,
        completed: 0,
        failed: 0,
      });
      expect(await driver.counts()).toEqual({
        waiting: 2,
        delayed: 1,
        active: 0,
        completed: 0,
        failed: 0,
      });
      expect(await driver.get("no-such-job")).toBeNull();
    });
  });
}
