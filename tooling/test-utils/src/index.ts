/**
 * A fresh database for each test file: an in-memory PGlite by default, or,
 * when TEST_DATABASE_URL is set, a new database on that Postgres server,
 * dropped again by `close()`.
 */
import postgres from "postgres";

export interface TestDatabase {
  /** `postgres://…` for a real server, `memory://` for PGlite. */
  url: string;
  /** Which engine runs underneath. */
  kind: "postgres" | "pglite";
  /** Drops the database (Postgres); nothing to do for PGlite. */
  close(): Promise<void>;
}

export function testDatabaseUrl(): string | undefined {
  return Bun.env.TEST_DATABASE_URL || undefined;
}

/** Creates an empty database for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const server = testDatabaseUrl();
  if (!server) return { url: "memory://", kind: "pglite", close: async () => {} };
  const name = `lucent_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    kind: "postgres",
    async close() {
      const admin = postgres(server, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}

/** A free TCP port on loopback. */
export function freePort(): number {
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response() });
  const port = server.port!;
  server.stop(true);
  return port;
}

/** Polls `<base>/api/health` until it answers 200; returns the last status (0 when unreachable). */
export async function waitForHealthy(base: string, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let status = 0;
  while (Date.now() < deadline) {
    status = await fetch(`${base}/api/health`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return status;
    await Bun.sleep(200);
  }
  return status;
}
