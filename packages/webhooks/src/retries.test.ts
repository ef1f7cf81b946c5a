import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Doc } from "@lucent/core";
import { type App, capturingLogger, eventually, startApp } from "../test/harness.ts";
import { type Receiver, startReceiver } from "../test/receiver.ts";

const SECRET = `whsec_${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64")}`;

interface Attempt {
  number: number;
  outcome: string;
  statusCode: number | null;
  error: string | null;
  startedAt: string;
  durationMs: number;
}
interface Delivery extends Doc {
  messageId: string;
  status: string;
  lastError: string | null;
  attempts: Attempt[];
}

let app: App;
let admin: { token: string };
let receiver: Receiver;
const log = capturingLogger();

beforeAll(async () => {
  receiver = startReceiver(SECRET);
  app = await startApp({
    logger: log.logger,
    webhooks: {
      allowPrivate: true,
      attempts: 4,
      backoff: { type: "exponential", delay: 150 },
      timeoutMs: 400,
      disableAfter: 2,
    },
  });
  admin = await app.user("admin@example.com", true);
});
afterAll(async () => {
  await app.close();
  receiver.release();
  receiver.stop();
});

async function endpoint(events: string[]): Promise<string> {
  const res = await app.json(
    "POST",
    "/api/webhooks",
    { url: receiver.url, events, secret: SECRET },
    admin.token,
  );
  return ((await res.json()) as { id: string }).id;
}

const deliveriesOf = async (id: string): Promise<Delivery[]> =>
  (
    (await (
      await app.json("GET", `/api/webhooks/${id}/deliveries`, undefined, admin.token)
    ).json()) as { docs: Delivery[] }
  ).docs;

describe("retries", () => {
  test("a receiver that fails, then times out, then recovers gets the delivery, every try with the same webhook-id", async () => {
    const id = await endpoint(["notes.create"]);
    receiver.script("fail", "hang", "ok");
    await app.json("POST", "/api/notes", { title: "persistent" });
    const delivery = await eventually(async () => {
      const [d] = await deliveriesOf(id);
      return d?.status === "delivered" ? d : undefined;
    });
    receiver.release();
    expect(delivery.attempts.map((a) => [a.number, a.outcome, a.statusCode])).toEqual([
      [1, "failed", 500],
      [2, "failed", null],
      [3, "ok", 200],
    ]);
    expect(delivery.attempts[0]!.error).toContain("HTTP 500");
    expect(delivery.attempts[1]!.error).toBe("timed out after 400 ms");
    expect(delivery.attempts[1]!.durationMs).toBeGreaterThanOrEqual(390);
    const started = delivery.attempts.map((a) => Date.parse(a.startedAt));
    // Backoff: 150 ms after the first failure, 300 ms after the second (which also took its 400 ms timeout).
    expect(started[1]! - started[0]!).toBeGreaterThanOrEqual(150);
    expect(started[2]! - started[1]!).toBeGreaterThanOrEqual(400 + 300);
    const got = receiver.received.slice(-3);
    expect(got.map((r) => r.answeredWith)).toEqual(["fail", "hang", "ok"]);
    expect(new Set(got.map((r) => r.id))).toEqual(new Set([delivery.messageId]));
    expect(got.every((r) => r.verified)).toBe(true);
    // Each try is signed afresh with its own time.
    expect(got[2]!.timestamp).toBeGreaterThanOrEqual(got[0]!.timestamp);
  });

  test("an endpoint is disabled, with a log line, after disableAfter deliveries in a row fail every try", async () => {
    const id = await endpoint(["tags.create"]);
    receiver.fallback = "fail";
    try {
      await app.json("POST", "/api/tags", { name: "one" }, admin.token);
      await app.json("POST", "/api/tags", { name: "two" }, admin.token);
      const disabled = await eventually(async () => {
        const res = await app.json("GET", `/api/webhooks/${id}`, undefined, admin.token);
        const doc = (await res.json()) as {
          enabled: boolean;
          disabledReason: string | null;
          failures: number;
        };
        return doc.enabled === false ? doc : undefined;
      });
      expect(disabled.disabledReason).toBe("disabled after 2 failed deliveries in a row");
      const deliveries = await deliveriesOf(id);
      expect(deliveries.map((d) => [d.status, d.attempts.length])).toEqual([
        ["failed", 4],
        ["failed", 4],
      ]);
      expect(
        log.lines.some((l) => l.includes(id) && l.includes("disabled after 2 failed deliveries")),
      ).toBe(true);
      // A disabled endpoint gets nothing more; enabling it again starts a new run of failures.
      const before = receiver.received.length;
      await app.json("POST", "/api/tags", { name: "three" }, admin.token);
      await Bun.sleep(500);
      expect(receiver.received.length).toBe(before);
      const again = await app.json("PATCH", `/api/webhooks/${id}`, { enabled: true }, admin.token);
      expect((await again.json()) as Record<string, unknown>).toMatchObject({
        enabled: true,
        failures: 0,
        disabledReason: null,
      });
    } finally {
      receiver.fallback = "ok";
    }
  });
});
