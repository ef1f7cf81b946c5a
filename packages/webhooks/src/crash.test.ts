import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createKernel, defineCollection } from "@lucent/core";
import { createTestDatabase } from "@lucent/test-utils";
import { sql } from "drizzle-orm";
import { eventually } from "../test/harness.ts";
import { startReceiver } from "../test/receiver.ts";

const SECRET = `whsec_${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64")}`;
const dir = mkdtempSync(join(tmpdir(), "lucent-webhooks-crash-"));
const running = new Set<Bun.Subprocess>();
afterAll(async () => {
  for (const proc of running) proc.kill("SIGKILL");
  await Promise.all([...running].map((p) => p.exited));
  rmSync(dir, { recursive: true, force: true });
});

async function spawnSender(
  env: Record<string, string>,
): Promise<Bun.Subprocess<"ignore", "pipe", "inherit">> {
  const proc = Bun.spawn(
    [process.execPath, "--conditions=lucent-source", join(import.meta.dir, "../test/sender.ts")],
    {
      env: { ...Bun.env, ...env },
      stdout: "pipe",
      stderr: "inherit",
    },
  );
  running.add(proc);
  const reader = proc.stdout.getReader();
  let out = "";
  while (!out.includes("ready")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the sender exited before it was ready: ${out}`);
    out += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return proc;
}

test("a sender killed (kill -9) mid-delivery delivers after a restart, the duplicate carrying the same webhook-id", async () => {
  const db = await createTestDatabase();
  const receiver = startReceiver(SECRET);
  // The first request is held open until the sender is dead; the next one succeeds.
  receiver.script("hang");
  const env = {
    SENDER_DATA_DIR: join(dir, "data"),
    SENDER_TARGET: receiver.url,
    SENDER_SECRET: SECRET,
    SENDER_QUEUE_PREFIX: `whcrash${Date.now().toString(36)}`,
    // PGlite: the embedded database under the shared data folder.
    ...(db.kind === "postgres" ? { SENDER_DB_URL: db.url } : {}),
  };
  try {
    const first = await spawnSender({ ...env, SENDER_CREATE: "1" });
    await receiver.waitFor(1);
    first.kill("SIGKILL");
    await first.exited;
    running.delete(first);
    receiver.release();

    const second = await spawnSender(env);
    const got = await receiver.waitFor(2, 75_000);
    second.kill("SIGTERM");
    await second.exited;
    running.delete(second);

    expect(got.map((r) => r.answeredWith)).toEqual(["hang", "ok"]);
    expect(got.every((r) => r.verified)).toBe(true);
    expect(got[1]!.id).toBe(got[0]!.id);
    expect((got[1]!.payload as { doc: { title: string } }).doc.title).toBe("before the crash");

    // What the database recorded: one delivery, the killed attempt marked interrupted.
    const kernel = await createKernel({
      ...(db.kind === "postgres" ? { db: { url: db.url } } : {}),
      dataDir: env.SENDER_DATA_DIR,
      collections: [
        defineCollection({ slug: "notes", fields: { title: { type: "text", required: true } } }),
      ],
      modules: [(await import("../src/module.ts")).webhooks({ allowPrivate: true })],
      typegen: { output: false },
    });
    try {
      const attempts = kernel.ctx.collections.get("webhook-attempts")!.table;
      const deliveries = kernel.ctx.collections.get("webhook-deliveries")!.table;
      const rows = await eventually(async () => {
        const r = await kernel.ctx.db.execute<{
          status: string;
          message_id: string;
          n: number;
          outcome: string;
        }>(
          sql`select d.status, d.message_id, a.number as n, a.outcome from ${sql.identifier(deliveries)} d
              join ${sql.identifier(attempts)} a on a.delivery = d.id order by a.number`,
        );
        return r.length === 2 ? r : undefined;
      });
      expect(rows.map((r) => [r.status, r.n, r.outcome])).toEqual([
        ["delivered", 1, "interrupted"],
        ["delivered", 2, "ok"],
      ]);
      expect(rows[0]!.message_id).toBe(got[0]!.id);
    } finally {
      await kernel.stop();
    }
  } finally {
    receiver.stop();
    await db.close();
  }
}, 120_000);
