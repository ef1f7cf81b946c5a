/**
 * A worker process for the kill -9 case of the jobs suite. Arguments: the
 * driver module (its default export makes the driver from the environment),
 * the mode, and the file effects are appended to.
 * - `hang`: enqueues one job, starts, and hangs inside it (the test kills us);
 * - `finish`: starts and records the job's effect.
 */
import { appendFileSync } from "node:fs";
import type { JobsDriver } from "../../../packages/core/src/jobs-types.ts";
import { createLogger } from "../../../packages/core/src/logger.ts";

const [driverModule = "", mode = "", effects = ""] = Bun.argv.slice(2);
const { default: makeDriver } = (await import(driverModule)) as {
  default: () => JobsDriver | Promise<JobsDriver>;
};
const driver = await makeDriver();
if (mode === "hang") await driver.enqueue("crash-mail", { to: "ada@example.com" }, { attempts: 3 });
await driver.start({
  logger: createLogger({ level: "silent" }),
  definitions: {
    "crash-mail": {
      handler: async (_data, ctx) => {
        appendFileSync(effects, `${mode} ${ctx.id} ${Date.now()}\n`);
        if (mode === "hang") await new Promise(() => {});
      },
    },
  },
});
appendFileSync(effects, `ready ${mode} ${Date.now()}\n`);
