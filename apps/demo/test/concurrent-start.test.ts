/**
 * Two demo processes started at the same moment on one empty Postgres
 * database (CONTRACT §13): both come up, and the schema is created once,
 * under the migrator's advisory lock. Needs TEST_DATABASE_URL.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestDatabase } from "@lucent/test-utils";
import { createTestDatabase, freePort, testDatabaseUrl } from "@lucent/test-utils";
import { SQL } from "bun";
import { type DemoProcess, spawnDemo, stopDemo, waitHealthy } from "./demo-process.ts";

const enabled = testDatabaseUrl() !== undefined;
if (!enabled)
  console.log("concurrent-start: skipped, set TEST_DATABASE_URL to run it on real Postgres");

let db: TestDatabase | undefined;
let dataDir: string | undefined;
const processes: DemoProcess[] = [];

beforeAll(async () => {
  if (!enabled) return;
  db = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), "lucent-concurrent-"));
});

afterAll(async () => {
  for (const demo of processes) await stopDemo(demo);
  await db?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test.skipIf(!enabled)(
  "two instances started at once on an empty database both come up and create the schema once",
  async () => {
    const url = db!.url;
    for (let i = 0; i < 2; i++)
      processes.push(spawnDemo({ url, port: freePort(), dataDir: dataDir! }));
    expect(await Promise.all(processes.map(waitHealthy))).toEqual([200, 200]);

    const sql = new SQL(url);
    try {
      const history = await sql`select count(*)::int as n from lucent_migrations`;
      expect(history[0].n).toBe(1);
      const tables = await sql`select table_name, count(*)::int as n from information_schema.tables
        where table_schema = current_schema() group by table_name order by table_name`;
      const counts = Object.fromEntries(
        tables.map((r: { table_name: string; n: number }) => [r.table_name, r.n]),
      );
      expect(counts).toMatchObject({ comments: 1, lucent_migrations: 1, posts: 1, users: 1 });

      // Both serve the same data: a published post written beside them is listed by each.
      const [a, b] = processes.map((p) => `${p.origin}/api`);
      const id = Bun.randomUUIDv7();
      await sql`insert into posts (id, title, status) values (${id}, 'Shared', 'published')`;
      for (const base of [a, b]) {
        const res = await fetch(`${base}/posts/${id}`);
        expect(res.status).toBe(200);
        expect(((await res.json()) as { title: string }).title).toBe("Shared");
      }
    } finally {
      await sql.close();
    }
  },
  60_000,
);
