/**
 * Delivery costs no query per subscriber: every statement the database runs
 * is counted (the adapter is wrapped), and a change delivered to 10 or to
 * 200 subscribers costs the same number of statements.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { DatabaseAdapter } from "@lucent/core";
import { openShared, type Shared, type SignedIn, startApp, type TestApp } from "../test/harness.ts";
import { WsClient } from "../test/ws-client.ts";

let statements = 0;
function counting(db: DatabaseAdapter): DatabaseAdapter {
  return {
    kind: db.kind,
    get drizzle() {
      return db.drizzle;
    },
    get inTransaction() {
      return db.inTransaction;
    },
    execute(query) {
      statements++;
      return db.execute(query);
    },
    transaction: (fn) => db.transaction((tx) => fn(counting(tx))),
    close: () => db.close(),
  };
}

let shared: Shared;
let app: TestApp;
let users: SignedIn[] = [];
const clients: WsClient[] = [];

beforeAll(async () => {
  shared = await openShared(counting);
  // No poll during the measurement: only the wake-ups of the writes themselves read the outbox.
  app = await startApp(shared, { realtime: { pollIntervalMs: 3_600_000 } });
  users = [];
  for (let i = 0; i < 10; i++) users.push(await app.signUp(`count-${i}@example.com`));
});
afterAll(async () => {
  for (const c of clients) c.close();
  await app.close();
  await shared.close();
});

/** Opens `n` more subscribers on `collection`: anonymous ones and each signed-in user in turn. */
async function subscribeMore(n: number, collection: string): Promise<void> {
  for (let i = 0; i < n; i++) {
    const user = i % 2 === 0 ? undefined : users[i % users.length];
    const client = await WsClient.open(app.ws, user?.headers ?? {});
    clients.push(client);
    await client.subscribe("s", { collection });
  }
}

/** Statements run by one write and its delivery to every subscriber. */
async function statementsFor(write: () => Promise<unknown>, expected: number): Promise<number> {
  const delivered = () => clients.reduce((n, c) => n + c.events("s").length, 0);
  const before = delivered();
  await app.realtime.idle();
  statements = 0;
  await write();
  const deadline = Date.now() + 10_000;
  while (delivered() < before + expected && Date.now() < deadline) await Bun.sleep(10);
  await app.realtime.idle();
  expect(delivered()).toBe(before + expected);
  return statements;
}

test("posts: filters decided in memory cost the same statements for 10 and for 200 subscribers", async () => {
  await subscribeMore(10, "posts");
  const few = await statementsFor(() => app.create({ title: "p", status: "published" }), 10);
  await subscribeMore(190, "posts");
  const many = await statementsFor(() => app.create({ title: "p", status: "published" }), 200);
  expect(many).toBe(few);
  expect(app.realtime.stats().probeQueries).toBe(0);
});

test("comments: a dotted-path rule costs one batched query per change, whatever the subscribers", async () => {
  for (const c of clients.splice(0)) c.close();
  const post = await app.create({ title: "commented", status: "published" });
  await subscribeMore(10, "comments");
  const related0 = app.realtime.stats().relatedQueries;
  const few = await statementsFor(() => app.create({ post: post.id, text: "a" }, "comments"), 10);
  const related1 = app.realtime.stats().relatedQueries;
  await subscribeMore(190, "comments");
  const many = await statementsFor(() => app.create({ post: post.id, text: "b" }, "comments"), 200);
  expect(many).toBe(few);
  expect(related1 - related0).toBe(1);
  expect(app.realtime.stats().relatedQueries - related1).toBe(1);
});
