/**
 * Three demo instances, as separate processes, on one Postgres: a write on
 * one reaches SSE and WebSocket subscribers on all three exactly once, and
 * a client that reconnects to another instance resumes exactly. Once with
 * Postgres LISTEN/NOTIFY between them, once with Redis.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { type Instance, startInstances, stopInstances } from "../test/demo-instances.ts";
import { REDIS_URL, throwawayDatabase } from "../test/postgres-server.ts";
import { SseReader } from "../test/sse-client.ts";
import { WsClient } from "../test/ws-client.ts";

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function signUpAdmin(base: string): Promise<Record<string, string>> {
  const res = await fetch(`${base}/api/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      email: "admin@example.com",
      password: "correct horse battery",
      name: "Admin",
    }),
  });
  const body = (await res.json()) as { accessToken: string };
  return { authorization: `Bearer ${body.accessToken}`, "content-type": "application/json" };
}

async function publish(
  base: string,
  headers: Record<string, string>,
  title: string,
): Promise<string> {
  const res = await fetch(`${base}/api/posts`, {
    method: "POST",
    headers,
    body: JSON.stringify({ title, status: "published" }),
  });
  if (res.status !== 201) throw new Error(`create: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

for (const bus of ["postgres", "redis"] as const) {
  describe(`three instances, bus: ${bus}`, () => {
    let instances: Instance[];
    let admin: Record<string, string>;

    test("start", async () => {
      const database = await throwawayDatabase();
      cleanups.push(() => database.drop());
      instances = await startInstances({
        count: 3,
        databaseUrl: database.url,
        ...(bus === "redis" ? { redisUrl: REDIS_URL } : {}),
      });
      cleanups.push(() => stopInstances(instances));
      admin = await signUpAdmin(instances[0]!.base);
    }, 90_000);

    test("a write on one instance reaches SSE and WS subscribers on all three exactly once", async () => {
      const readers = await Promise.all(
        instances.map((i) => SseReader.open(`${i.base}/api/realtime/posts`)),
      );
      const sockets = await Promise.all(instances.map((i) => WsClient.open(i.ws)));
      for (const s of sockets) await s.subscribe("p", { collection: "posts" });
      const ids = [
        await publish(instances[1]!.base, admin, "from one"),
        await publish(instances[2]!.base, admin, "from two"),
        await publish(instances[0]!.base, admin, "from zero"),
      ];
      for (const r of readers) await r.waitChanges(3);
      for (const s of sockets) await s.waitEvents("p", 3);
      await Bun.sleep(1500); // a poll period and more: nothing arrives twice
      for (const r of readers)
        expect(r.changes.map((e) => (e.data as { id: string }).id)).toEqual(ids);
      for (const s of sockets) expect(s.events("p").map((e) => e.id)).toEqual(ids);
      for (const r of readers) r.close();
      for (const s of sockets) s.close();
    }, 30_000);

    test("a client that reconnects to another instance resumes exactly", async () => {
      const first = await WsClient.open(instances[0]!.ws);
      const { cursor } = await first.subscribe("p", { collection: "posts" });
      const reader = await SseReader.open(`${instances[0]!.base}/api/realtime/posts`);
      const seen = await publish(instances[0]!.base, admin, "seen");
      await first.waitEvents("p", 1);
      const [seenEvent] = await reader.waitChanges(1);
      first.close();
      reader.close();
      const missed = [];
      for (const [n, i] of [0, 1, 2, 1].entries())
        missed.push(await publish(instances[i]!.base, admin, `missed ${n}`));
      const again = await WsClient.open(instances[2]!.ws);
      await again.subscribe("p", { collection: "posts", since: cursor });
      const resumed = await SseReader.open(`${instances[1]!.base}/api/realtime/posts`, {
        "last-event-id": seenEvent!.id!,
      });
      const live = await publish(instances[0]!.base, admin, "live");
      await again.waitEvents("p", 6);
      await resumed.waitChanges(5);
      await Bun.sleep(1500);
      expect(again.events("p").map((e) => e.id)).toEqual([seen, ...missed, live]);
      expect(resumed.changes.map((e) => (e.data as { id: string }).id)).toEqual([...missed, live]);
      again.close();
      resumed.close();
    }, 30_000);
  });
}
