/**
 * The server `bench/body-limit.ts` measures: Lucent alone, one collection,
 * the default 1 MiB body limit, rate limits off, on DATABASE_URL or an
 * in-memory PGlite.
 * Prints `READY <port>` once it listens.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineCollection, defineLucentConfig, lucent } from "../packages/core/src/index.ts";

const Notes = defineCollection({
  slug: "notes",
  fields: { title: { type: "text" } },
  access: { create: () => true },
});

const config = defineLucentConfig({
  db: { url: Bun.env.DATABASE_URL ?? "memory://" },
  dataDir: await mkdtemp(join(tmpdir(), "lucent-body-limit-")),
  api: { rateLimit: false },
  collections: [Notes],
  typegen: { output: false },
});

const app = (await lucent(config)).listen({ hostname: "127.0.0.1", port: 0 });
console.log(`READY ${app.server?.port}`);
