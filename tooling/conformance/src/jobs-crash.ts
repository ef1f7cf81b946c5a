/**
 * The kill -9 case every job driver must pass: a job whose worker process was
 * killed mid-run runs again within 15 s of a new worker starting, and its
 * effect happens once. Drivers name a module whose default export builds the
 * driver from the environment they pass, so the worker runs in its own process.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "./jobs.ts";

export interface JobsCrashSuiteOptions {
  /** Absolute path of a module whose default export returns the driver. */
  driverModule: string;
  /** Environment for both worker processes (e.g. the store's path or prefix). */
  env: () => Record<string, string>;
}

/** The contract's bound: a job whose worker died runs again within 15 s of the restart. */
export const RERUN_WITHIN_MS = 15_000;

export function jobsCrashSuite(name: string, options: JobsCrashSuiteOptions) {
  describe(`jobs driver: ${name}, kill -9`, () => {
    const dir = mkdtempSync(join(tmpdir(), "lucent-jobs-crash-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    test("a job whose worker was killed mid-run runs again within 15 s of the restart, its effect once", async () => {
      const effects = join(dir, "effects.log");
      const env = { ...Bun.env, ...options.env() };
      const lines = () =>
        existsSync(effects) ? readFileSync(effects, "utf8").trim().split("\n") : [];
      const spawn = (mode: string) =>
        Bun.spawn(
          [
            process.execPath,
            "--conditions=lucent-source",
            join(import.meta.dir, "jobs-crash-worker.ts"),
            options.driverModule,
            mode,
            effects,
          ],
          { env, stdout: "inherit", stderr: "inherit" },
        );

      const first = spawn("hang");
      await waitFor(
        "the first worker to start the job",
        () => lines().some((l) => l.startsWith("hang ")),
        15_000,
      );
      first.kill("SIGKILL");
      await first.exited;

      const second = spawn("finish");
      try {
        await waitFor(
          "the second worker to start",
          () => lines().some((l) => l.startsWith("ready finish")),
          15_000,
        );
        const restartedAt = Number(
          lines()
            .find((l) => l.startsWith("ready finish"))
            ?.split(" ")[2],
        );
        await waitFor(
          "the killed job to run again",
          () => lines().some((l) => l.startsWith("finish ")),
          RERUN_WITHIN_MS + 5_000,
        );
        const finished = lines().filter((l) => l.startsWith("finish "));
        const ranAt = Number(finished[0]?.split(" ")[2]);
        const hung = lines()
          .find((l) => l.startsWith("hang "))
          ?.split(" ")[1];
        console.info(
          `[${name}] the killed job ran again ${ranAt - restartedAt} ms after the restart`,
        );
        expect(ranAt - restartedAt).toBeLessThanOrEqual(RERUN_WITHIN_MS);
        expect(finished[0]?.split(" ")[1]).toBe(hung);
        // Once: give a duplicate time to show up before counting.
        await Bun.sleep(1_000);
        expect(lines().filter((l) => l.startsWith("finish "))).toHaveLength(1);
      } finally {
        second.kill("SIGKILL");
        await second.exited;
      }
    }, 60_000);
  });
}
