import { afterAll, beforeAll, expect, test } from "bun:test";
import { openShared, type Shared, startApp, type TestApp } from "../test/harness.ts";

let shared: Shared;
let app: TestApp;
beforeAll(async () => {
  shared = await openShared();
  app = await startApp(shared);
});
afterAll(async () => {
  await app.close();
  await shared.close();
});

test("the OpenAPI fragment documents the event stream and the ticket endpoint", () => {
  const installed = app.kernel.modules.find((m) => m.module.name === "@lucent/realtime");
  const fragment = installed?.instance?.openapi?.();
  const stream = fragment?.paths?.["/realtime/{slug}"]?.get as Record<string, unknown>;
  const ticket = fragment?.paths?.["/realtime/ticket"]?.post as Record<string, unknown>;
  expect(stream.operationId).toBe("realtimeStream");
  expect(
    Object.keys((stream.responses as Record<string, { content?: object }>)["200"]!.content!),
  ).toEqual(["text/event-stream"]);
  expect(Object.keys(stream.responses as object)).toEqual(
    expect.arrayContaining(["400", "401", "403", "404"]),
  );
  expect(ticket.operationId).toBe("realtimeTicket");
  expect(Object.keys(ticket.responses as object)).toEqual(expect.arrayContaining(["201", "401"]));
  expect(fragment?.tags?.[0]?.name).toBe("realtime");
});
