import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openShared, type Shared, type SignedIn, startApp, type TestApp } from "../test/harness.ts";
import { WsClient } from "../test/ws-client.ts";

let shared: Shared;
let app: TestApp;
let owner: SignedIn;
let admin: SignedIn;
const clients: WsClient[] = [];

beforeAll(async () => {
  shared = await openShared();
  app = await startApp(shared, { realtime: { maxSubscriptions: 3 } });
  owner = await app.signUp("ws-owner@example.com");
  admin = await app.signUp("ws-admin@example.com", "admin");
});
afterAll(async () => {
  for (const c of clients) c.close();
  await app.close();
  await shared.close();
});

const connect = async (headers: Record<string, string> = {}, url = app.ws) => {
  const client = await WsClient.open(url, headers);
  clients.push(client);
  return client;
};
const seqOf = (cursor: unknown) => Number(String(cursor).split(":")[1]);

describe("WebSocket", () => {
  test("subscribe answers with a cursor; events follow it; unsubscribe stops them", async () => {
    const client = await connect();
    const subscribed = await client.subscribe("s1", { collection: "posts" });
    expect(subscribed).toMatchObject({ type: "subscribed", id: "s1" });
    const post = await app.create({ title: "ws", status: "published" });
    const [event] = await client.waitEvents("s1", 1);
    expect(event).toMatchObject({
      type: "event",
      subscription: "s1",
      operation: "create",
      id: post.id,
    });
    expect(seqOf(event!.cursor)).toBe(seqOf(subscribed.cursor) + 1);
    client.send({ type: "unsubscribe", id: "s1" });
    await client.next((m) => m.type === "unsubscribed");
    await app.create({ title: "after", status: "published" });
    await Bun.sleep(200);
    expect(client.events("s1")).toHaveLength(1);
  });

  test("one connection holds subscriptions with different filters and callers see their own view", async () => {
    const mine = await connect(owner.headers);
    const all = await connect(admin.headers);
    await mine.subscribe("drafts", { collection: "posts", where: { status: { eq: "draft" } } });
    await mine.subscribe("published", {
      collection: "posts",
      where: { status: { eq: "published" } },
    });
    await all.subscribe("drafts", { collection: "posts", where: { status: { eq: "draft" } } });
    await app.create({ title: "someone's draft" });
    const own = await app.create({ title: "my draft", author: owner.id, note: "admin only" });
    await all.waitEvents("drafts", 2);
    const [mineEvent] = await mine.waitEvents("drafts", 1);
    await Bun.sleep(100);
    expect(mine.events("drafts").map((e) => e.id)).toEqual([own.id]);
    expect(mine.events("published")).toHaveLength(0);
    expect(mineEvent!.doc).not.toHaveProperty("note");
    expect((all.events("drafts")[1]!.doc as { note: string }).note).toBe("admin only");
  });

  test("since resumes exactly, and a cursor past retention or from another epoch is a reset", async () => {
    const client = await connect();
    const { cursor } = await client.subscribe("a", { collection: "posts" });
    client.close();
    const missed = [];
    for (const t of ["m1", "m2"]) missed.push(await app.create({ title: t, status: "published" }));
    const again = await connect();
    await again.subscribe("b", { collection: "posts", since: cursor });
    const live = await app.create({ title: "m3", status: "published" });
    const events = await again.waitEvents("b", 3);
    await Bun.sleep(100);
    expect(again.events("b").map((e) => e.id)).toEqual([...missed.map((d) => d.id), live.id]);
    expect(events.map((e) => seqOf(e.cursor))).toEqual([1, 2, 3].map((i) => seqOf(cursor) + i));
    await again.subscribe("c", { collection: "posts", since: "elsewhere:1" });
    expect(again.messages.some((m) => m.type === "reset" && m.subscription === "c")).toBe(true);
  });

  test("snapshot and stream meet with no gap and no duplicate under concurrent writes", async () => {
    const client = await connect(admin.headers);
    let writing = true;
    const written: string[] = [];
    // PGlite runs one transaction at a time; a snapshot there needs a moment between two
    // writes (snapshot.ts), so its writer pauses a little. Postgres takes them back to back.
    const pause = shared.test.kind === "pglite" ? 5 : 0;
    const writer = (async () => {
      while (writing) {
        written.push((await app.create({ title: "burst", body: "concurrent" })).id);
        if (pause) await Bun.sleep(pause);
      }
    })();
    await Bun.sleep(50);
    client.send({
      type: "subscribe",
      id: "snap",
      collection: "posts",
      where: { body: { eq: "concurrent" } },
      snapshot: true,
      limit: 100,
    });
    const snapshot = await client
      .next((m) => m.type === "snapshot" || m.type === "error")
      .finally(() => Bun.sleep(150).then(() => (writing = false)));
    await writer;
    expect(snapshot.type).toBe("snapshot");
    const total = written.length;
    await client.waitEvents("snap", total - (snapshot.docs as unknown[]).length, 15_000);
    const fromSnapshot = (snapshot.docs as Array<{ id: string }>).map((d) => d.id);
    const fromEvents = client.events("snap").map((e) => e.id as string);
    expect(fromSnapshot.length).toBeLessThan(100);
    expect(new Set([...fromSnapshot, ...fromEvents]).size).toBe(
      fromSnapshot.length + fromEvents.length,
    );
    expect([...fromSnapshot, ...fromEvents].sort()).toEqual([...written].sort());
    const subscribed = client.messages.find((m) => m.type === "subscribed" && m.id === "snap");
    expect(subscribed?.cursor).toBe(snapshot.cursor);
  });

  test("bad messages get an error message and the connection stays usable", async () => {
    const client = await connect();
    const bad = [
      "not json",
      JSON.stringify({ type: "dance" }),
      JSON.stringify({ type: "subscribe", id: "x" }),
      JSON.stringify({ type: "subscribe", id: "x", collection: "nope" }),
      JSON.stringify({
        type: "subscribe",
        id: "x",
        collection: "posts",
        where: { nope: { eq: 1 } },
      }),
      JSON.stringify({ type: "subscribe", id: "x", collection: "posts", since: "garbage" }),
      JSON.stringify({ type: "subscribe", id: "x", collection: "users" }),
      JSON.stringify({ type: "unsubscribe", id: "never" }),
    ];
    for (const message of bad) {
      client.send(message);
      const error = await client.next((m) => m.type === "error", 5000);
      expect(typeof error.code).toBe("string");
      client.messages.length = 0;
    }
    const ok = await client.subscribe("fine", { collection: "posts" });
    expect(ok.type).toBe("subscribed");
  });

  test("a connection holds at most maxSubscriptions, and ids are unique per connection", async () => {
    const client = await connect();
    for (const id of ["1", "2", "3"])
      expect((await client.subscribe(id, { collection: "posts" })).type).toBe("subscribed");
    const over = await client.subscribe("4", { collection: "posts" });
    expect(over).toMatchObject({ type: "error", subscription: "4" });
    client.send({ type: "unsubscribe", id: "3" });
    await client.next((m) => m.type === "unsubscribed");
    client.messages.length = 0;
    const dup = await client.subscribe("1", { collection: "posts" });
    expect(dup).toMatchObject({ type: "error", subscription: "1" });
  });

  test("a ticket opens one connection with the caller's rights, once", async () => {
    const res = await fetch(`${app.base}/api/realtime/ticket`, {
      method: "POST",
      headers: admin.headers,
    });
    expect(res.status).toBe(201);
    const { ticket } = (await res.json()) as { ticket: string };
    const client = await connect({}, `${app.ws}?ticket=${ticket}`);
    await client.subscribe("t", { collection: "posts" });
    await app.create({ title: "admin sees drafts" });
    await client.waitEvents("t", 1);
    const reuse = await fetch(`${app.base}/api/realtime/posts?ticket=${ticket}`);
    expect(reuse.status).toBe(401);
    const anonymous = await fetch(`${app.base}/api/realtime/ticket`, { method: "POST" });
    expect(anonymous.status).toBe(401);
  });

  test("an upgrade with bad credentials is refused with 401 in the error envelope", async () => {
    const res = await fetch(app.ws.replace("ws:", "http:"), {
      headers: {
        upgrade: "websocket",
        connection: "upgrade",
        "sec-websocket-version": "13",
        "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
        authorization: "Bearer nope",
      },
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("UNAUTHORIZED");
    const plain = await fetch(app.ws.replace("ws:", "http:"));
    expect(plain.status).toBe(400);
  });
});
