/**
 * A sender process for the kill -9 test: a kernel with the webhooks module,
 * sharing a database and a data folder (jobs, secrets) with its successor.
 * With SENDER_CREATE=1 it also makes an endpoint and one note. It prints
 * "ready" once its job workers run, then waits for SIGKILL or SIGTERM.
 */
import { createKernel, defineCollection } from "@lucent/core";
import { webhooks } from "../src/module.ts";
import { queueModules } from "./queue-driver.ts";

const Notes = defineCollection({
  slug: "notes",
  fields: { title: { type: "text", required: true } },
});

const env = Bun.env;
const kernel = await createKernel({
  ...(env.SENDER_DB_URL ? { db: { url: env.SENDER_DB_URL } } : {}),
  dataDir: env.SENDER_DATA_DIR!,
  collections: [Notes],
  modules: [
    ...queueModules(env.SENDER_QUEUE_PREFIX),
    webhooks({
      allowPrivate: true,
      attempts: 5,
      backoff: { type: "fixed", delay: 100 },
      timeoutMs: 60_000,
    }),
  ],
  typegen: { output: false },
});
await kernel.start();
if (env.SENDER_CREATE === "1") {
  await kernel.lucent.create({
    collection: "webhooks",
    data: { url: env.SENDER_TARGET!, events: ["notes.create"], secret: env.SENDER_SECRET! },
    overrideAccess: true,
  });
  await kernel.lucent.create({
    collection: "notes",
    data: { title: "before the crash" },
    overrideAccess: true,
  });
}
// SIGTERM stops gracefully: a running delivery finishes and is recorded first.
process.on("SIGTERM", () => void kernel.stop().then(() => process.exit(0)));
console.log("ready");
setInterval(() => {}, 60_000);
