/**
 * A lost notification delays an event, never loses it: two kernels on one
 * database whose buses do not reach each other (each has its own in-process
 * bus), so only the outbox poll carries a write from one to the other.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { openShared, type Shared, startApp, type TestApp } from "../test/harness.ts";
import { WsClient } from "../test/ws-client.ts";

let shared: Shared;
let writer: TestApp;
let reader: TestApp;
beforeAll(async () => {
  shared = await openShared();
  writer = await startApp(shared, { realtime: { pollIntervalMs: 300 } });
  reader = await startApp(shared, { realtime: { pollIntervalMs: 300 } });
});
afterAll(async () => {
  await writer.close();
  await reader.close();
  await shared.close();
});

test("a change no notification announced is found by the poll, in order, once", async () => {
  const client = await WsClient.open(reader.ws);
  await client.subscribe("p", { collection: "posts" });
  const ids: string[] = [];
  for (let i = 0; i < 5; i++)
    ids.push((await writer.create({ title: `quiet ${i}`, status: "published" })).id);
  const events = await client.waitEvents("p", 5, 5000);
  await Bun.sleep(700);
  expect(client.events("p").map((e) => e.id)).toEqual(ids);
  const seqs = events.map((e) => Number(String(e.cursor).split(":")[1]));
  expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
  client.close();
});
