import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import fc from "fast-check";
import { openShared, type Shared, type SignedIn, startApp, type TestApp } from "../test/harness.ts";
import { SseReader } from "../test/sse-client.ts";

let shared: Shared;
let app: TestApp;
let owner: SignedIn;
let other: SignedIn;
let admin: SignedIn;
const readers: SseReader[] = [];

beforeAll(async () => {
  shared = await openShared();
  app = await startApp(shared, { realtime: { retainEvents: 5 } });
  owner = await app.signUp("owner@example.com");
  other = await app.signUp("other@example.com");
  admin = await app.signUp("admin@example.com", "admin");
});
afterAll(async () => {
  for (const r of readers) r.close();
  await app.close();
  await shared.close();
});

const open = async (path: string, headers: Record<string, string> = {}) => {
  const reader = await SseReader.open(`${app.base}${path}`, headers);
  readers.push(reader);
  return reader;
};
const seqOf = (id: string | undefined) => Number(id?.split(":")[1]);

describe("SSE", () => {
  test("create, update and delete reach a subscriber in order, ids one apart", async () => {
    const reader = await open("/api/realtime/posts");
    const post = await app.create({ title: "hello", status: "published" });
    await app.update(post.id, { title: "hello again" });
    await app.remove(post.id);
    const [c, u, d] = await reader.waitChanges(3);
    expect([c!.event, u!.event, d!.event]).toEqual(["create", "update", "delete"]);
    expect(c!.data).toMatchObject({ collection: "posts", operation: "create", id: post.id });
    expect((u!.data as { doc: { title: string } }).doc.title).toBe("hello again");
    expect(seqOf(u!.id)).toBe(seqOf(c!.id) + 1);
    expect(seqOf(d!.id)).toBe(seqOf(c!.id) + 2);
    expect(c!.id!.split(":")[0]).toBe(d!.id!.split(":")[0]);
    reader.close();
  });

  test("each caller sees what read access admits: anonymous, owner, admin", async () => {
    const anonymous = await open("/api/realtime/posts");
    const mine = await open("/api/realtime/posts", owner.headers);
    const theirs = await open("/api/realtime/posts", other.headers);
    const all = await open("/api/realtime/posts", admin.headers);
    const draft = await app.create({ title: "draft", author: owner.id });
    const published = await app.create({ title: "out", status: "published", author: owner.id });
    await all.waitChanges(2);
    await mine.waitChanges(2);
    await anonymous.waitChanges(1);
    await theirs.waitChanges(1);
    await Bun.sleep(100);
    expect(anonymous.changes.map((e) => (e.data as { id: string }).id)).toEqual([published.id]);
    expect(theirs.changes.map((e) => (e.data as { id: string }).id)).toEqual([published.id]);
    expect(mine.changes.map((e) => (e.data as { id: string }).id)).toEqual([
      draft.id,
      published.id,
    ]);
    expect(all.changes.map((e) => (e.data as { id: string }).id)).toEqual([draft.id, published.id]);
  });

  test("a field the subscriber may not read is left out of the event", async () => {
    const anonymous = await open("/api/realtime/posts");
    const all = await open("/api/realtime/posts", admin.headers);
    await app.create({ title: "noted", status: "published", note: "for admins" });
    const [seen] = await anonymous.waitChanges(1);
    const [full] = await all.waitChanges(1);
    expect((seen!.data as { doc: Record<string, unknown> }).doc).not.toHaveProperty("note");
    expect((full!.data as { doc: Record<string, unknown> }).doc.note).toBe("for admins");
  });

  test("an update that moves a document into view is a create, out of view a delete of what was seen", async () => {
    const anonymous = await open("/api/realtime/posts");
    const draft = await app.create({ title: "moving" });
    await app.update(draft.id, { status: "published" });
    await app.update(draft.id, { status: "draft", title: "hidden again" });
    const [inView, outOfView] = await anonymous.waitChanges(2);
    expect(inView!.event).toBe("create");
    expect(outOfView!.event).toBe("delete");
    expect((outOfView!.data as { doc: { title: string; status: string } }).doc).toMatchObject({
      title: "moving",
      status: "published",
    });
  });

  test("a `where` narrows the stream", async () => {
    const filtered = await open(
      `/api/realtime/posts?where=${encodeURIComponent('{"title":{"eq":"wanted"}}')}`,
    );
    await app.create({ title: "unwanted", status: "published" });
    const wanted = await app.create({ title: "wanted", status: "published" });
    const [only] = await filtered.waitChanges(1);
    await Bun.sleep(100);
    expect(filtered.changes).toHaveLength(1);
    expect((only!.data as { id: string }).id).toBe(wanted.id);
  });

  test("a rolled-back write emits nothing and leaves no gap in the ids", async () => {
    const reader = await open("/api/realtime/posts");
    const before = await app.create({ title: "before", status: "published" });
    await expect(app.create({ title: "roll me back", status: "published" })).rejects.toThrow();
    const after = await app.create({ title: "after", status: "published" });
    const [a, b] = await reader.waitChanges(2);
    await Bun.sleep(100);
    expect(reader.changes.map((e) => (e.data as { id: string }).id)).toEqual([before.id, after.id]);
    expect(seqOf(b!.id)).toBe(seqOf(a!.id) + 1);
  });

  test("Last-Event-ID resumes exactly: nothing missed, nothing twice, in order", async () => {
    const first = await open("/api/realtime/posts");
    const a = await app.create({ title: "r1", status: "published" });
    const [seenA] = await first.waitChanges(1);
    first.close();
    const missed = [];
    for (const t of ["r2", "r3", "r4"])
      missed.push(await app.create({ title: t, status: "published" }));
    const resumed = await open("/api/realtime/posts", { "last-event-id": seenA!.id! });
    const live = await app.create({ title: "r5", status: "published" });
    const events = await resumed.waitChanges(4);
    await Bun.sleep(100);
    expect(resumed.changes.map((e) => (e.data as { id: string }).id)).toEqual([
      ...missed.map((d) => d.id),
      live.id,
    ]);
    expect(events.map((e) => seqOf(e.id))).toEqual([1, 2, 3, 4].map((i) => seqOf(seenA!.id) + i));
    expect(a.id).not.toBe(live.id);
  });

  test("a resume past retention gets one reset, then the stream goes on", async () => {
    const first = await open("/api/realtime/posts");
    await app.create({ title: "old", status: "published" });
    const [old] = await first.waitChanges(1);
    first.close();
    for (let i = 0; i < 8; i++) await app.create({ title: `filler ${i}`, status: "published" });
    await app.realtime.prune();
    const resumed = await open("/api/realtime/posts", { "last-event-id": old!.id! });
    expect(resumed.events.filter((e) => e.event === "reset")).toHaveLength(1);
    expect(resumed.changes).toHaveLength(0);
    await app.create({ title: "new", status: "published" });
    await resumed.waitChanges(1);
  });

  test("another epoch's id is a reset", async () => {
    const resumed = await open("/api/realtime/posts", { "last-event-id": "someOtherEpoch:3" });
    expect(resumed.events[0]!.event).toBe("reset");
  });

  test("bad input is a 4xx in the error envelope", async () => {
    const cases: Array<[string, Record<string, string>, number]> = [
      ["/api/realtime/nope", {}, 404],
      ["/api/realtime/posts?where=not-json", {}, 400],
      ['/api/realtime/posts?where={"nope":{"eq":1}}', {}, 400],
      ["/api/realtime/posts?other=1", {}, 400],
      ["/api/realtime/posts", { "last-event-id": "garbage" }, 400],
      ["/api/realtime/posts?ticket=rt_nope", {}, 401],
      ["/api/realtime/posts", { authorization: "Bearer nope" }, 401],
      ["/api/realtime/users", {}, 401],
    ];
    for (const [path, headers, status] of cases) {
      const res = await fetch(`${app.base}${path}`, { headers });
      expect({ path, status: res.status }).toEqual({ path, status });
      const body = (await res.json()) as { error: { code: string } };
      expect(typeof body.error.code).toBe("string");
    }
  });

  test("random where, Last-Event-ID and ticket values are answered with a 4xx or a stream, never a 5xx", async () => {
    const text = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    );
    await fc.assert(
      fc.asyncProperty(
        text,
        fc.string({ maxLength: 40 }),
        text,
        async (where, lastEventId, ticket) => {
          const query = new URLSearchParams({ where });
          if (ticket.length % 2 === 0) query.set("ticket", ticket);
          const res = await fetch(`${app.base}/api/realtime/posts?${query}`, {
            headers:
              /^[\x20-\x7e]*$/.test(lastEventId) && lastEventId
                ? { "last-event-id": lastEventId }
                : {},
          });
          expect(res.status).toBeLessThan(500);
          await res.body?.cancel();
        },
      ),
      { numRuns: 150 },
    );
  });
});
