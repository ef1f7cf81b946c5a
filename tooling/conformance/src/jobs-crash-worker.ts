/**
 * A worker process for the process-level cases of the jobs suite. Arguments:
 * the driver module (its default export makes the driver from the
 * environment), the mode, the file effects are appended to, and how long a
 * `long` job holds on. Each run of the job appends `<mode> start <id> <ms>`.
 * - `hang`: enqueues one job, starts, and hangs inside it (the test kills us);
 * - `long`: enqueues one job and runs it for the hold time, then appends `long end`;
 * - `finish` and `standby`: start and record any run they are given.
 */
import { appendFileSync } from "node:fs";
import type { JobsDriver } from "../../../packages/core/src/jobs/jobs-types.ts";
import { createLogger } from "../../../packages/core/src/kernel/logger.ts";

const [driverModule = "", mode = "", effects = "", holdMs = "0"] = Bun.argv.slice(2);
const { default: makeDriver } = (await import(driverModule)) as {
  default: () => JobsDriver | Promise<JobsDriver>;
};
const record = (what: string) => appendFileSync(effects, `${mode} ${what} ${Date.now()}\n`);

const driver = await makeDriver();
if (mode === "hang" || mode === "long") {
  await driver.enqueue("crash-mail", { to: "ada@example.com" }, { attempts: 3 });
}
await driver.start({
  logger: createLogger({ level: "silent" }),
  definitions: {
    "crash-mail": {
      handler: async (_data, ctx) => {
        record(`start ${ctx.id}`);
        if (mode === "hang") await new Promise(() => {});
        if (mode === "long") {
          await Bun.sleep(Number(holdMs));
          record(`end ${ctx.id}`);
        }
      },
    },
  },
});
record("ready -");
