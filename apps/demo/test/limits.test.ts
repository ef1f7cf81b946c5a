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

const AUTH_LIMIT = 3;
let db: TestDatabase;
let dir: string;
let proc: ReturnType<typeof Bun.spawn>;
let base: string;
let clients = 0;
/** A client of its own, as the one proxy in front of the demo reports it. */
const client = () => `198.51.100.${++clients}`;

const post = (path: string, ip: string) =>
  fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": ip },
    body: "{}",
  });

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), "lucent-demo-limits-"));
  const port = freePort();
  proc = Bun.spawn(["bun", "--conditions=lucent-source", "src/server.ts"], {
    cwd: join(import.meta.dir, ".."),
    env: {
      ...Bun.env,
      NODE_ENV: "test",
      DATABASE_URL: db.url,
      REDIS_URL: "",
      RATE_LIMIT_AUTH: String(AUTH_LIMIT),
      TRUST_PROXY: "1",
      PORT: String(port),
      HOST: "127.0.0.1",
      LUCENT_DATA_DIR: dir,
      LOG_LEVEL: "warn",
    },
    stdout: "ignore",
    stderr: "inherit",
  });
  base = `http://127.0.0.1:${port}`;
  expect(await waitForHealthy(base)).toBe(200);
});

afterAll(async () => {
  proc?.kill();
  await proc?.exited;
  await db?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("auth routes keep their budget however they are spelled", () => {
  test.each(["login", "register", "refresh", "forgot", "reset", "verify"])(
    "regression: POST /api/auth/%s/ spends the auth budget (a trailing slash got the collection budget)",
    async (route) => {
      const ip = client();
      for (let i = 0; i < AUTH_LIMIT; i++) {
        const res = await post(`/api/auth/${route}/`, ip);
        expect(res.headers.get("ratelimit-limit")).toBe(String(AUTH_LIMIT));
        await res.arrayBuffer();
      }
      const refused = await post(`/api/auth/${route}`, ip);
      expect(refused.status).toBe(429);
      expect((await refused.json()).error.code).toBe("RATE_LIMITED");
    },
  );

  test("regression: with TRUST_PROXY=1 each client behind the proxy has a budget of its own (all shared one)", async () => {
    const first = client();
    for (let i = 0; i < AUTH_LIMIT; i++)
      await (await post("/api/auth/forgot", first)).arrayBuffer();
    expect((await post("/api/auth/forgot", first)).status).toBe(429);
    expect((await post("/api/auth/forgot", client())).status).not.toBe(429);
  });
});

describe("bodies are refused as soon as they pass the limit", () => {
  /** A body of `mib` MiB that counts what the client managed to send. */
  function streamedBody(mib: number) {
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const sent = { bytes: 0 };
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (sent.bytes >= mib * 1024 * 1024) return controller.close();
          sent.bytes += chunk.byteLength;
          controller.enqueue(chunk);
        },
      },
      { highWaterMark: 0 },
    );
    return { body, sent };
  }

  test.each([
    ["/api/auth/login", 64 * 1024],
    ["/api/posts", 1024 * 1024],
  ])(
    "regression: a chunked 64 MiB body to %s gets its 413 before it is sent whole (it was read whole first)",
    async (path, limit) => {
      const { body, sent } = streamedBody(64);
      const res = await fetch(`${base}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": client() },
        body,
      });
      expect(res.status).toBe(413);
      expect((await res.json()).error.code).toBe("PAYLOAD_TOO_LARGE");
      // What the sockets buffer on the way is on top of the limit; the whole body never is.
      expect(sent.bytes).toBeGreaterThan(limit);
      expect(sent.bytes).toBeLessThan(32 * 1024 * 1024);
    },
  );
});
