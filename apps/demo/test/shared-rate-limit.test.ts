import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createTestDatabase,
  freePort,
  type TestDatabase,
  waitForHealthy,
} from "@lucent/test-utils";

const postgres = Bun.env.TEST_DATABASE_URL;
const redis = Bun.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const LIMIT = 10;

let db: TestDatabase;
let dir: string;
const servers: Array<{ proc: ReturnType<typeof Bun.spawn>; base: string }> = [];

describe.skipIf(!postgres)("two demo instances on one Postgres and Redis", () => {
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), "lucent-shared-rl-"));
    const prefix = `test-${Bun.randomUUIDv7()}:`;
    for (const name of ["a", "b"]) {
      const port = freePort();
      const proc = Bun.spawn(["bun", "--conditions=lucent-source", "src/server.ts"], {
        cwd: join(import.meta.dir, ".."),
        env: {
          ...Bun.env,
          NODE_ENV: "test",
          DATABASE_URL: db.url,
          REDIS_URL: redis,
          RATE_LIMIT_API: String(LIMIT),
          RATE_LIMIT_PREFIX: prefix,
          PORT: String(port),
          HOST: "127.0.0.1",
          LUCENT_DATA_DIR: join(dir, name),
          LOG_LEVEL: "warn",
        },
        stdout: "ignore",
        stderr: "inherit",
      });
      servers.push({ proc, base: `http://127.0.0.1:${port}` });
    }
    expect(await Promise.all(servers.map((s) => waitForHealthy(s.base)))).toEqual([200, 200]);
  });

  afterAll(async () => {
    for (const s of servers) s.proc.kill();
    await Promise.all(servers.map((s) => s.proc.exited));
    await db?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test("the 429 arrives after the configured number of requests summed over both", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 2; i++) {
      const server = servers[i % 2]!;
      const res = await fetch(`${server.base}/api/posts`);
      statuses.push(res.status);
      if (res.status === 429) {
        expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
        expect((await res.json()).error.code).toBe("RATE_LIMITED");
      } else {
        await res.arrayBuffer();
      }
    }
    expect(statuses).toEqual([...Array(LIMIT).fill(200), 429, 429]);
  });
});
