import { afterAll, beforeAll, expect, test } from "bun:test";
import { startTcpProxy, type TcpProxy, waitFor } from "@lucent/conformance";
import { openShared, type Shared, startApp, type TestApp } from "../test/harness.ts";
import { realtimeClient } from "./client.ts";

let shared: Shared;
let app: TestApp;
let proxy: TcpProxy;
beforeAll(async () => {
  shared = await openShared();
  app = await startApp(shared);
  const port = Number(new URL(app.base).port);
  proxy = startTcpProxy({ hostname: "127.0.0.1", port });
});
afterAll(async () => {
  proxy.close();
  await app.close();
  await shared.close();
});

test("the client helper resumes by itself after a dropped connection: nothing missed, nothing twice", async () => {
  const early = await app.create({ title: "before", status: "published" });
  const seen: string[] = [];
  let snapshot: string[] = [];
  const client = realtimeClient({ url: `ws://127.0.0.1:${proxy.port}/ws`, maxBackoffMs: 200 });
  client.subscribe("posts", {
    where: { status: { eq: "published" } },
    snapshot: true,
    onSnapshot: (docs) => {
      snapshot = docs.map((d) => d.id);
    },
    onEvent: (e) => void seen.push(`${e.operation} ${e.id}`),
  });
  await waitFor("the snapshot", () => snapshot.length > 0);
  expect(snapshot).toContain(early.id);
  const a = await app.create({ title: "a", status: "published" });
  await waitFor("the first event", () => seen.length === 1);
  proxy.down();
  const b = await app.create({ title: "b", status: "published" });
  await app.update(a.id, { title: "a2" });
  await app.remove(early.id);
  proxy.up();
  const c = await app.create({ title: "c", status: "published" });
  await waitFor("every event", () => seen.length === 5, 10_000);
  await Bun.sleep(200);
  expect(seen).toEqual([
    `create ${a.id}`,
    `create ${b.id}`,
    `update ${a.id}`,
    `delete ${early.id}`,
    `create ${c.id}`,
  ]);
  client.close();
});
