/**
 * Rules 12 and 13 of the jobs suite (see `jobs.ts`), which need real worker
 * processes and a driver's default settings: a job whose worker was killed
 * mid-run (kill -9) runs again within 15 s of a new worker's start, its effect
 * once; a healthy job that runs longer than that is not handed to another
 * worker. Drivers name a module whose default export builds the driver from
 * the environment they pass, so each worker is its own process.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "./jobs.ts";

export interface JobsCrashSuiteOptions {
  /** Absolute path of a module whose default export returns the driver. */
  driverModule: string;
  /** Environment for the worker processes of one test (e.g. a store path or prefix made from `run`). */
  env: (run: string) => Record<string, string>;
}

/** The contract's bound: a job whose worker died runs again within 15 s of the restart. */
export const RERUN_WITHIN_MS = 15_000;

interface Effect {
  mode: string;
  what: string;
  id: string;
  at: number;
}

export function jobsCrashSuite(name: string, options: JobsCrashSuiteOptions) {
  describe(`jobs driver: ${name}, worker processes`, () => {
    const dir = mkdtempSync(join(tmpdir(), "lucent-jobs-crash-"));
    const running = new Set<Bun.Subprocess>();
    afterAll(async () => {
      for (const proc of running) proc.kill("SIGKILL");
      await Promise.all([...running].map((p) => p.exited));
      rmSync(dir, { recursive: true, force: true });
    });

    /** One test's worker processes, sharing a store and an effects file of their own. */
    function workers(run: string) {
      const effects = join(dir, `${run}.log`);
      const env = { ...Bun.env, ...options.env(run) };
      const effectsNow = (): Effect[] =>
        existsSync(effects)
          ? readFileSync(effects, "utf8")
              .trim()
              .split("\n")
              .map((line) => {
                const [mode = "", what = "", id = "", at = "0"] = line.split(" ");
                return { mode, what, id, at: Number(at) };
              })
          : [];
      const find = (mode: string, what: string) =>
        effectsNow().filter((e) => e.mode === mode && e.what === what);
      const spawn = (mode: string, holdMs = 0) => {
        const proc = Bun.spawn(
          [
            process.execPath,
            "--conditions=lucent-source",
            join(import.meta.dir, "jobs-crash-worker.ts"),
            options.driverModule,
            mode,
            effects,
            String(holdMs),
          ],
          { env, stdout: "inherit", stderr: "inherit" },
        );
        running.add(proc);
        return proc;
      };
      const kill = async (proc: Bun.Subprocess) => {
        proc.kill("SIGKILL");
        await proc.exited;
        running.delete(proc);
      };
      return { find, spawn, kill };
    }

    test("regression: a job whose worker was killed mid-run (kill -9) runs again within 15 s of the restart, its effect once", async () => {
      const { find, spawn, kill } = workers("killed");
      const first = spawn("hang");
      await waitFor(
        "the first worker to start the job",
        () => find("hang", "start").length > 0,
        15_000,
      );
      await kill(first);

      // The restart is the new process's launch: its boot time counts against the bound.
      const restartedAt = Date.now();
      const second = spawn("finish");
      await waitFor(
        "the killed job to run again",
        () => find("finish", "start").length > 0,
        RERUN_WITHIN_MS + 10_000,
      );
      const [rerun] = find("finish", "start");
      const ready = find("finish", "ready")[0]?.at ?? restartedAt;
      console.info(
        `[${name}] the killed job ran again ${(rerun?.at ?? 0) - restartedAt} ms after the restart (${(rerun?.at ?? 0) - ready} ms after the new worker was ready)`,
      );
      expect((rerun?.at ?? Number.POSITIVE_INFINITY) - restartedAt).toBeLessThanOrEqual(
        RERUN_WITHIN_MS,
      );
      expect(rerun?.id).toBe(find("hang", "start")[0]?.id);
      // Once: give a duplicate time to show up before counting.
      await Bun.sleep(1_000);
      expect(find("finish", "start")).toHaveLength(1);
      await kill(second);
    }, 60_000);

    test("a healthy job that runs past the 15 s re-run bound is not handed to another worker", async () => {
      const { find, spawn, kill } = workers("long");
      // Longer than a dead worker's job may stay unclaimed: were the lock or lease not
      // renewed, the standby worker would take the job within this time.
      const holdMs = RERUN_WITHIN_MS + 2_000;
      const owner = spawn("long", holdMs);
      await waitFor("the job to start", () => find("long", "start").length > 0, 15_000);
      const standby = spawn("standby");
      await waitFor(
        "the standby worker to start",
        () => find("standby", "ready").length > 0,
        15_000,
      );
      await waitFor("the job to end", () => find("long", "end").length > 0, holdMs + 10_000);
      expect(find("long", "start")).toHaveLength(1);
      expect(find("standby", "start")).toEqual([]);
      await Promise.all([kill(owner), kill(standby)]);
    }, 60_000);
  });
}
