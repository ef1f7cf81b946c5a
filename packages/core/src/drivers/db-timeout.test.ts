/**
 * `db.statementTimeout` (CONTRACT §4): on Postgres a statement that runs past
 * it is cancelled by the server and the request ends with 503 UNAVAILABLE and
 * Retry-After, while its connection goes back to the pool in working order.
 * PGlite runs statements on the calling thread and cannot interrupt them.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase, testDatabaseUrl } from "@lucent/test-utils";
import { sql } from "drizzle-orm";
import { Elysia } from "elysia";
import { lucentPlugin } from "../http/lucent.ts";
import type { LucentModule } from "../kernel/kernel.ts";
import { createKernel, type Kernel } from "../kernel/kernel-create.ts";
import { createLogger } from "../kernel/logger.ts";

/** A route that runs one statement longer than the limit below. */
function slowRoute(): LucentModule {
  return {
    name: "slow",
    setup: (ctx) => ({
      routes: new Elysia()
        .get("/slow", async () => {
          await ctx.db.execute(sql`select pg_sleep(0.5)`);
          return { done: true };
        })
        .get("/quick", async () => ctx.db.execute(sql`select 1 as one`)),
    }),
  };
}

let testDb: TestDatabase;
let dir: string;
let kernel: Kernel;
let app: ReturnType<typeof lucentPlugin>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), "lucent-timeout-"));
  kernel = await createKernel({
    // One connection: if the cancelled statement left it stuck, the next request would hang.
    db: { url: testDb.url, statementTimeout: 50, poolSize: 1 },
    dataDir: dir,
    collections: [{ slug: "notes", fields: { title: { type: "text" } } }],
    modules: [slowRoute()],
    logger: createLogger({ level: "silent" }),
    typegen: { output: false },
    api: { rateLimit: false },
  });
  app = lucentPlugin(kernel, { handleSignals: false });
});

afterAll(async () => {
  await kernel.stop();
  await testDb.close();
  await rm(dir, { recursive: true, force: true });
});

const get = (path: string) => app.handle(new Request(`http://localhost/api${path}`));

test.skipIf(!testDatabaseUrl())(
  "a statement past db.statementTimeout is a 503 UNAVAILABLE with Retry-After, and the connection still works",
  async () => {
    const res = await get("/slow");
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("UNAVAILABLE");
    expect(body.error.message).not.toContain("select");
    expect(await (await get("/quick")).json()).toEqual([{ one: 1 }]);
  },
);

test.skipIf(Boolean(testDatabaseUrl()))(
  "PGlite cannot interrupt a statement: it runs to the end",
  async () => {
    const res = await get("/slow");
    expect(res.status).toBe(200);
  },
);
