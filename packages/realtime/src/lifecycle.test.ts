import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect } from "node:net";
import { openShared, type Shared, startApp, type TestApp } from "../test/harness.ts";
import { openRawSocket } from "../test/raw-socket.ts";
import { SseReader } from "../test/sse-client.ts";
import { WsClient } from "../test/ws-client.ts";

let shared: Shared;
let app: TestApp;

beforeAll(async () => {
  shared = await openShared();
  app = await startApp(shared, {
    accessTokenTtl: 2,
    realtime: { heartbeatMs: 200, authCheckMs: 300, maxBacklogBytes: 64 * 1024 },
  });
});
afterAll(async () => {
  await app.close();
  await shared.close();
});

const waitUntil = async (what: string, check: () => boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(20);
  }
};

describe("connection lifecycle", () => {
  test("an SSE stream opened with an access token ends with auth_expired when the token expires", async () => {
    const user = await app.signUp("expiring@example.com");
    const reader = await SseReader.open(`${app.base}/api/realtime/posts`, user.headers);
    const ended = await reader.next((e) => e.event === "auth_expired", 8000);
    expect(ended.data).toEqual({ reason: "auth_expired" });
    await waitUntil("the stream to end", () => reader.ended);
  });

  test("a WebSocket whose session is revoked is closed with 4401", async () => {
    const user = await app.signUp("revoked@example.com");
    const client = await WsClient.open(app.ws, user.headers);
    await client.subscribe("s", { collection: "posts" });
    const logout = await fetch(`${app.base}/api/auth/logout`, {
      method: "POST",
      headers: user.headers,
    });
    expect(logout.status).toBe(200);
    expect(await client.closed(5000)).toBe(4401);
  });

  test("SSE streams get heartbeat comments", async () => {
    const reader = await SseReader.open(`${app.base}/api/realtime/posts`);
    await waitUntil("two heartbeats", () => reader.comments >= 2, 5000);
    reader.close();
  });

  test("a WebSocket client that never answers a ping is closed", async () => {
    const before = app.realtime.stats().ended.no_pong;
    const raw = await openRawSocket(app.ws);
    await waitUntil("the server to close the silent socket", () => raw.closed, 5000);
    expect(app.realtime.stats().ended.no_pong).toBe(before + 1);
  });
});

describe("slow readers and shutdown", () => {
  test("a WebSocket client that stops reading is dropped once its backlog passes the bound", async () => {
    const other = await startApp(shared, {
      realtime: { heartbeatMs: 60_000, maxBacklogBytes: 64 * 1024 },
    });
    const raw = await openRawSocket(other.ws);
    raw.send({ type: "subscribe", id: "flood", collection: "posts" });
    await waitUntil("the subscription", () => other.realtime.subscriptions() === 1);
    raw.socket.pause();
    const big = "x".repeat(100_000);
    for (let i = 0; i < 200 && other.realtime.connections() === 1; i++) {
      await other.create({ title: `flood ${i}`, status: "published", body: big });
      await other.realtime.idle();
    }
    await waitUntil(
      "the slow reader to be dropped",
      () => other.realtime.connections() === 0,
      5000,
    );
    expect(other.realtime.stats().ended.slow_reader).toBe(1);
    raw.socket.destroy();
    await other.close();
  });

  test("an SSE client that stops reading is dropped once its backlog passes the bound", async () => {
    const other = await startApp(shared, {
      realtime: { heartbeatMs: 60_000, maxBacklogBytes: 64 * 1024 },
    });
    const { port } = new URL(other.base);
    const socket = connect(Number(port), "127.0.0.1");
    socket.write(
      `GET /api/realtime/posts HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`,
    );
    await waitUntil("the subscription", () => other.realtime.subscriptions() === 1);
    socket.pause();
    const big = "x".repeat(100_000);
    for (let i = 0; i < 200 && other.realtime.connections() === 1; i++) {
      await other.create({ title: `flood ${i}`, status: "published", body: big });
      await other.realtime.idle();
    }
    await waitUntil(
      "the slow reader to be dropped",
      () => other.realtime.connections() === 0,
      5000,
    );
    expect(other.realtime.stats().ended.slow_reader).toBe(1);
    socket.destroy();
    await other.close();
  });

  test("stopping tells SSE clients to reconnect and closes WebSockets with 1012", async () => {
    const other = await startApp(shared, { realtime: { heartbeatMs: 60_000 } });
    const reader = await SseReader.open(`${other.base}/api/realtime/posts`);
    const client = await WsClient.open(other.ws);
    await client.subscribe("s", { collection: "posts" });
    await other.kernel.stop();
    const bye = await reader.next((e) => e.event === "shutdown", 5000);
    expect(bye.data).toMatchObject({ reconnect: true });
    expect(await client.closed(5000)).toBe(1012);
    await other.close();
  });
});
