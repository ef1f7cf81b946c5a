/**
 * Headless Chromium with the browser's own EventSource and WebSocket: a
 * same-origin page signed in by the session cookie, and a page on another
 * origin that uses tickets. The connection is cut (a TCP proxy in front of
 * the app) and the browser resumes: EventSource by itself with
 * Last-Event-ID, the WebSocket through this package's client helper.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { startTcpProxy, type TcpProxy, waitFor } from "@lucent/conformance";
import { Elysia } from "elysia";
import { type Browser, chromium, type Page } from "playwright-core";
import { openShared, PASSWORD, type Shared, startApp, type TestApp } from "../test/harness.ts";

const CHROMIUM = "/usr/bin/chromium";
const skip = !existsSync(CHROMIUM) && !Bun.env.CI;
if (skip) console.warn(`browser.test.ts skipped: ${CHROMIUM} is missing`);

const PAGE = "<!doctype html><title>realtime</title><p>realtime</p>";
const pageResponse = (connect: string) =>
  new Response(PAGE, {
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": `default-src 'none'; script-src 'self'; connect-src ${connect}`,
    },
  });

let shared: Shared;
let app: TestApp;
let proxy: TcpProxy;
let browser: Browser;
let elsewhere: ReturnType<typeof Bun.serve>;
let clientJs: string;

beforeAll(async () => {
  if (skip) return;
  const built = await Bun.build({
    entrypoints: [join(import.meta.dir, "client.ts")],
    target: "browser",
  });
  clientJs = await built.outputs[0]!.text();
  elsewhere = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch: () => pageResponse("http://127.0.0.1:* ws://127.0.0.1:*"),
  });
  shared = await openShared();
  app = await startApp(shared, {
    cors: [`http://127.0.0.1:${elsewhere.port}`],
    extra: new Elysia()
      .get("/page", () => pageResponse("'self'"))
      .get(
        "/client.js",
        () => new Response(clientJs, { headers: { "content-type": "text/javascript" } }),
      ),
  });
  proxy = startTcpProxy({ hostname: "127.0.0.1", port: Number(new URL(app.base).port) });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
});
afterAll(async () => {
  if (skip) return;
  await browser.close();
  proxy.close();
  elsewhere.stop(true);
  await app.close();
  await shared.close();
});

interface Seen {
  sse: Array<{ type: string; id: string; doc: { id: string } & Record<string, unknown> }>;
  ws: Array<{ operation: string; id: string; doc: Record<string, unknown> }>;
}
const seen = (page: Page) => page.evaluate(() => (window as unknown as { seen: Seen }).seen);

describe.skipIf(skip)("in Chromium", () => {
  test("same origin, cookie session: events filtered and hidden, and both resume after a cut", async () => {
    const owner = await app.signUp("browser-owner@example.com");
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto(`http://127.0.0.1:${proxy.port}/page`);
    await page.evaluate(async (password) => {
      const res = await fetch("/api/auth/login", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "browser-owner@example.com", password }),
      });
      if (res.status !== 200) throw new Error(`login ${res.status}`);
      const seen: Seen = { sse: [], ws: [] };
      (window as unknown as { seen: Seen }).seen = seen;
      const source = new EventSource("/api/realtime/posts");
      for (const type of ["create", "update", "delete"])
        source.addEventListener(type, (e) => {
          const event = e as MessageEvent<string>;
          seen.sse.push({ type, id: event.lastEventId, doc: JSON.parse(event.data).doc });
        });
      // Served by the test app: this package's client helper, bundled for the browser.
      const clientUrl = "/client.js";
      const { realtimeClient } = (await import(clientUrl)) as typeof import("./client.ts");
      const client = realtimeClient({ url: `ws://${location.host}/ws`, maxBackoffMs: 300 });
      client.subscribe("posts", {
        onEvent: (e) => void seen.ws.push(e as unknown as Seen["ws"][number]),
      });
    }, PASSWORD);
    await Bun.sleep(500);
    const draft = await app.create({ title: "my draft", author: owner.id, note: "admins only" });
    await app.create({ title: "someone else's draft" });
    const published = await app.create({ title: "public", status: "published" });
    await app.update(published.id, { title: "public, edited" });
    await app.remove(draft.id);
    await waitFor("five events on each", async () => {
      const s = await seen(page);
      return s.sse.length === 4 && s.ws.length === 4;
    });
    const first = await seen(page);
    expect(first.sse.map((e) => `${e.type} ${e.doc.id}`)).toEqual([
      `create ${draft.id}`,
      `create ${published.id}`,
      `update ${published.id}`,
      `delete ${draft.id}`,
    ]);
    expect(first.ws.map((e) => `${e.operation} ${e.id}`)).toEqual(
      first.sse.map((e) => `${e.type} ${e.doc.id}`),
    );
    expect(first.sse[0]!.doc).not.toHaveProperty("note");

    proxy.down();
    const missed = await app.create({ title: "while cut", status: "published" });
    await app.update(missed.id, { title: "while cut, edited" });
    proxy.up();
    await waitFor(
      "the missed events after the browser reconnected",
      async () => {
        const s = await seen(page);
        return s.sse.length >= 6 && s.ws.length >= 6;
      },
      15_000,
    );
    await Bun.sleep(500);
    const after = await seen(page);
    expect(after.sse.slice(4).map((e) => `${e.type} ${e.doc.id}`)).toEqual([
      `create ${missed.id}`,
      `update ${missed.id}`,
    ]);
    expect(after.ws.slice(4).map((e) => `${e.operation} ${e.id}`)).toEqual([
      `create ${missed.id}`,
      `update ${missed.id}`,
    ]);
    const seqs = after.sse.map((e) => Number(e.id.split(":")[1]));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(
      // The cut itself shows as a broken stream; nothing else may fail.
      errors.filter((e) => !/ERR_CONNECTION|ERR_INCOMPLETE_CHUNKED_ENCODING|EventSource/.test(e)),
    ).toEqual([]);
    await page.close();
  }, 60_000);

  test("another origin: a ticket opens the WebSocket and the event stream with the caller's rights", async () => {
    const owner = await app.signUp("browser-ticket@example.com");
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${elsewhere.port}/`);
    await page.evaluate(
      async ({ base, token }) => {
        const ticket = async () => {
          const res = await fetch(`${base}/api/realtime/ticket`, {
            method: "POST",
            headers: { authorization: `Bearer ${token}` },
          });
          return ((await res.json()) as { ticket: string }).ticket;
        };
        const seen: Seen = { sse: [], ws: [] };
        (window as unknown as { seen: Seen }).seen = seen;
        const source = new EventSource(`${base}/api/realtime/posts?ticket=${await ticket()}`);
        source.addEventListener("create", (e) => {
          const event = e as MessageEvent<string>;
          seen.sse.push({ type: "create", id: event.lastEventId, doc: JSON.parse(event.data).doc });
        });
        const ws = new WebSocket(`${base.replace("http", "ws")}/ws?ticket=${await ticket()}`);
        ws.onopen = () =>
          ws.send(JSON.stringify({ type: "subscribe", id: "s", collection: "posts" }));
        ws.onmessage = (e) => {
          const m = JSON.parse(e.data);
          if (m.type === "event") seen.ws.push(m);
        };
      },
      { base: app.base, token: owner.accessToken },
    );
    await Bun.sleep(500);
    const draft = await app.create({ title: "ticket owner's draft", author: owner.id });
    await waitFor("the draft on both", async () => {
      const s = await seen(page);
      return s.sse.length === 1 && s.ws.length === 1;
    });
    const s = await seen(page);
    expect(s.sse[0]!.doc.id).toBe(draft.id);
    expect(s.ws[0]!.id).toBe(draft.id);
    await page.close();
  }, 60_000);
});
