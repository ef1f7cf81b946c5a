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
import type { Subprocess } from "bun";
import { SQL } from "bun";

const enabled = testDatabaseUrl() !== undefined;
if (!enabled)
  console.log("concurrent-start: skipped, set TEST_DATABASE_URL to run it on real Postgres");

const demoDir = join(import.meta.dir, "..");
let db: TestDatabase | undefined;
let dataDir: string | undefined;
const processes: Array<{ proc: Subprocess<"ignore", "pipe", "pipe">; port: number }> = [];

function spawnDemo(url: string, port: number, dir: string) {
  const proc = Bun.spawn(["bun", "--conditions=lucent-source", "src/server.ts"], {
    cwd: demoDir,
    env: {
      ...Bun.env,
      DATABASE_URL: url,
      PORT: String(port),
      LUCENT_DATA_DIR: dir,
      LOG_LEVEL: "warn",
      HOST: "127.0.0.1",
    },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  return { proc, port };
}

/** Polls /api/health until it answers 200; fails with the process's output if it exits first. */
async function waitHealthy(entry: (typeof processes)[number]): Promise<number> {
  for (;;) {
    if (entry.proc.exitCode !== null) {
      const err = await new Response(entry.proc.stderr).text();
      const out = await new Response(entry.proc.stdout).text();
      throw new Error(
        `the demo on port ${entry.port} exited with ${entry.proc.exitCode}:\n${out}\n${err}`,
      );
    }
    const status = await fetch(`http://127.0.0.1:${entry.port}/api/health`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return status;
    await Bun.sleep(100);
  }
}

beforeAll(async () => {
  if (!enabled) return;
  db = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), "lucent-concurrent-"));
});

afterAll(async () => {
  for (const { proc } of processes) {
    proc.kill();
    await proc.exited;
  }
  await db?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test.skipIf(!enabled)(
  "two instances started at once on an empty database both come up and create the schema once",
  async () => {
    const url = db!.url;
    processes.push(spawnDemo(url, freePort(), dataDir!), spawnDemo(url, freePort(), dataDir!));
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
      const [a, b] = processes.map((p) => `http://127.0.0.1:${p.port}/api`);
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
