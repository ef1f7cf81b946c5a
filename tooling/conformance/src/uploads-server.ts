/**
 * A Lucent server for the upload scale suite, run as its own process so its
 * memory can be measured and it can be killed: one collection whose `file`
 * takes up to 2 GiB. Environment: `DATA_DIR`, `DB_URL` (default: PGlite
 * under DATA_DIR), `STORAGE_MODULE` (a module whose default export is a Lucent
 * module providing storage; local disk without it). Prints `{"port":…}`.
 */
import { Elysia } from "elysia";
import { createKernel, type LucentModule, lucentPlugin } from "../../../packages/core/src/index.ts";
import { defineCollection } from "../../../packages/core/src/schema/collection.ts";

const Files = defineCollection({
  slug: "files",
  access: { create: () => true, read: () => true, update: () => true, delete: () => true },
  fields: { file: { type: "upload", maxSize: 2 * 1024 ** 3 } },
});

const { dataDir, storageModule } = JSON.parse(Bun.argv[2] ?? "{}") as {
  dataDir: string;
  storageModule?: string;
};
const modules: LucentModule[] = storageModule
  ? [(await import(storageModule)).default as LucentModule]
  : [];
const kernel = await createKernel({
  collections: [Files],
  modules,
  dataDir,
  typegen: { output: false },
  api: { rateLimit: false },
});
// Bun.serve refuses bodies over 128 MiB unless told otherwise.
const app = new Elysia({ serve: { maxRequestBodySize: 4 * 1024 ** 3, idleTimeout: 120 } })
  .use(lucentPlugin(kernel, { handleSignals: true }))
  .listen({ port: 0, hostname: "127.0.0.1" });
// The plugin starts the kernel (jobs, the upload sweeper) when the server starts.
console.log(JSON.stringify({ port: app.server!.port }));
