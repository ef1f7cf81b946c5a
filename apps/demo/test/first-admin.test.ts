/**
 * First-admin race (CONTRACT §14): the first user to register becomes an
 * admin, exactly one, even when several register at the same moment. With
 * TEST_DATABASE_URL, two demo processes share one Postgres database and the
 * sign-ups are parallel HTTP requests spread over both, so the rule holds
 * across instances, not just inside one; on PGlite, one instance in this
 * process takes them all at once.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Kernel, LucentConfig } from "@lucent/core";
import { createLogger, lucent } from "@lucent/core";
import { createTestDatabase, freePort, type TestDatabase } from "@lucent/test-utils";
import { SQL } from "bun";
import { Elysia } from "elysia";
import { createConfig } from "../src/config.ts";
import { spawnDemo, stopDemo, waitHealthy } from "./demo-process.ts";

const SIGN_UPS = 12;

interface Instance {
  origin: string;
  /** Admins stored in the database. */
  admins(): Promise<number>;
  stop(): Promise<void>;
}

async function inThisProcess(url: string, dataDir: string): Promise<Instance> {
  const config: LucentConfig = {
    ...createConfig(),
    db: { url },
    dataDir,
    logger: createLogger({ level: Bun.env.LOG_LEVEL ?? "silent" }),
    typegen: { output: false },
  };
  const app = new Elysia().use(await lucent(config, { handleSignals: false }));
  const kernel = (app.decorator as { lucentKernel: Kernel }).lucentKernel;
  app.listen({ port: 0, hostname: "127.0.0.1" });
  return {
    origin: `http://127.0.0.1:${app.server!.port}`,
    admins: async () =>
      (
        await kernel.lucent.count({
          collection: "users",
          where: { role: { eq: "admin" } },
          overrideAccess: true,
        })
      ).totalDocs,
    async stop() {
      await app.stop();
      await kernel.stop();
    },
  };
}

async function inItsOwnProcess(url: string, dataDir: string): Promise<Instance> {
  const demo = spawnDemo({ url, port: freePort(), dataDir });
  await waitHealthy(demo);
  return {
    origin: demo.origin,
    async admins() {
      const sql = new SQL(url);
      try {
        const rows = await sql`select count(*)::int as n from users where role = 'admin'`;
        return rows[0].n as number;
      } finally {
        await sql.close();
      }
    },
    stop: () => stopDemo(demo),
  };
}

let db: TestDatabase;
const instances: Instance[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "lucent-first-admin-"));
    dirs.push(dir);
    return dir;
  };
  if (db.kind === "postgres") {
    const both = [inItsOwnProcess(db.url, dataDir()), inItsOwnProcess(db.url, dataDir())];
    instances.push(...(await Promise.all(both)));
  } else {
    // An in-memory PGlite belongs to one process: a second instance would be a second database.
    instances.push(await inThisProcess(db.url, dataDir()));
  }
}, 60_000);

afterAll(async () => {
  for (const instance of instances) await instance.stop();
  await db?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

test(`first-admin race: ${SIGN_UPS} parallel registrations on an empty database make exactly one admin`, async () => {
  const responses = await Promise.all(
    Array.from({ length: SIGN_UPS }, (_, i) =>
      fetch(`${instances[i % instances.length]!.origin}/api/auth/register`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          email: `racer-${i}@example.com`,
          password: "correct horse battery",
        }),
      }),
    ),
  );
  const bodies = (await Promise.all(responses.map((r) => r.json()))) as Array<{
    user: { role: string };
  }>;
  expect(responses.map((r) => r.status)).toEqual(Array(SIGN_UPS).fill(201));
  const roles = bodies.map((b) => b.user.role).sort();
  expect(roles).toEqual(["admin", ...Array(SIGN_UPS - 1).fill("user")]);
  expect(await instances[0]!.admins()).toBe(1);
}, 60_000);
