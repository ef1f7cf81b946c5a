import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Doc, defineCollection } from "@lucent/core";
import { sql } from "drizzle-orm";
import { type App, eventually, FAST, startApp, Tags, Users } from "../test/harness.ts";
import { type Receiver, startReceiver } from "../test/receiver.ts";
import type { WebhooksApi } from "./module.ts";

const SECRET = `whsec_${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64")}`;

// A note titled "explode" writes a tag (a change with a delivery of its own) and then throws:
// the whole transaction, deliveries included, rolls back.
const Notes = defineCollection({
  slug: "notes",
  fields: {
    title: { type: "text", required: true },
    body: { type: "text" },
    // Readable by no one: it must not leave through a webhook either.
    internal: { type: "text", access: { read: () => false } },
  },
  access: { create: () => true, update: () => true, delete: () => true },
  hooks: {
    afterChange: [
      async ({ doc, lucent }) => {
        if (doc.title !== "explode") return undefined;
        await lucent.create({ collection: "tags", data: { name: "doomed" }, overrideAccess: true });
        throw new Error("refused after the fact");
      },
    ],
  },
});

let app: App;
let admin: { id: string; token: string };
let receiver: Receiver;
let onlyCreates: Receiver;
let endpointId: string;

interface Delivery extends Doc {
  messageId: string;
  status: string;
  attempts: Array<{ number: number; outcome: string; statusCode: number | null }>;
}

beforeAll(async () => {
  receiver = startReceiver(SECRET);
  onlyCreates = startReceiver(SECRET);
  app = await startApp({
    collections: [Users, Notes, Tags],
    webhooks: { ...FAST, allowPrivate: true },
  });
  admin = await app.user("admin@example.com", true);
  const res = await app.json(
    "POST",
    "/api/webhooks",
    { url: receiver.url, events: ["notes.*", "tags.*"], secret: SECRET },
    admin.token,
  );
  endpointId = ((await res.json()) as { id: string }).id;
  await app.json(
    "POST",
    "/api/webhooks",
    { url: onlyCreates.url, events: ["notes.create"], secret: SECRET },
    admin.token,
  );
});
afterAll(async () => {
  await app.close();
  receiver.stop();
  onlyCreates.stop();
});

const deliveries = async (): Promise<Delivery[]> =>
  (
    (await (
      await app.json(
        "GET",
        `/api/webhooks/${endpointId}/deliveries?limit=100`,
        undefined,
        admin.token,
      )
    ).json()) as { docs: Delivery[] }
  ).docs;

describe("delivery", () => {
  test("create, update and delete each reach the receiver once, signed and verifiable", async () => {
    const created = (await (
      await app.json("POST", "/api/notes", { title: "hello", internal: "do not send" })
    ).json()) as {
      id: string;
    };
    await app.json("PATCH", `/api/notes/${created.id}`, { title: "hello again" });
    await app.json("DELETE", `/api/notes/${created.id}`);
    const got = await receiver.waitFor(3);
    expect(got.every((r) => r.verified)).toBe(true);
    const payloads = got.map((r) => r.payload as Record<string, unknown>);
    expect(payloads.map((p) => p.type).sort()).toEqual([
      "notes.create",
      "notes.delete",
      "notes.update",
    ]);
    const update = payloads.find((p) => p.type === "notes.update")!;
    expect(update).toMatchObject({
      id: created.id,
      collection: "notes",
      doc: { title: "hello again" },
      previousDoc: { title: "hello" },
    });
    expect(Number.isNaN(Date.parse(String(update.occurredAt)))).toBe(false);
    expect(JSON.stringify(payloads)).not.toContain("do not send");
    expect(Object.keys(update.doc as object)).not.toContain("internal");
    expect(new Set(got.map((r) => r.id)).size).toBe(3);
    // The second endpoint only asked for creates.
    await onlyCreates.waitFor(1);
    await Bun.sleep(300);
    expect(onlyCreates.received.map((r) => (r.payload as { type: string }).type)).toEqual([
      "notes.create",
    ]);
  });

  test("a write that rolls back delivers nothing, its nested writes' changes included", async () => {
    const table = sql.identifier(app.kernel.ctx.collections.get("webhook-deliveries")!.table);
    const count = async () =>
      (
        await app.kernel.ctx.db.execute<{ n: number }>(sql`select count(*)::int as n from ${table}`)
      )[0]!.n;
    const before = await count();
    const res = await app.json("POST", "/api/notes", { title: "explode" });
    expect(res.status).toBe(500);
    expect(await count()).toBe(before);
    expect(await count()).toBeGreaterThan(0);
  });

  test("deliveries are listed with their attempts, and redelivered by hand with the same webhook-id", async () => {
    const [first] = (await deliveries()).filter((d) => d.status === "delivered").slice(-1);
    expect(first!.attempts.map((a) => [a.number, a.outcome, a.statusCode])).toEqual([
      [1, "ok", 200],
    ]);
    const n = receiver.received.length;
    const res = await app.json(
      "POST",
      `/api/webhooks/${endpointId}/deliveries/${first!.id}/redeliver`,
      {},
      admin.token,
    );
    expect(res.status).toBe(202);
    const got = await receiver.waitFor(n + 1);
    expect(got[n]!.id).toBe(first!.messageId);
    expect(got[n]!.verified).toBe(true);
    const again = await eventually(async () => {
      const d = (await deliveries()).find((x) => x.id === first!.id)!;
      return d.status === "delivered" && d.attempts.length === 2 ? d : undefined;
    });
    expect(again.attempts.map((a) => a.number)).toEqual([1, 2]);
  });

  test("a pending delivery that never reached the queue (a crash after the commit) is sent by the sweep", async () => {
    const [done] = (await deliveries()).filter((d) => d.status === "delivered");
    const table = sql.identifier(app.kernel.ctx.collections.get("webhook-deliveries")!.table);
    await app.kernel.ctx.db.execute(
      sql`update ${table} set status = 'pending' where id = ${done!.id}::uuid`,
    );
    const n = receiver.received.length;
    const api = (app.kernel.lucent as unknown as { webhooks: WebhooksApi }).webhooks;
    expect(await api.sweep(0)).toBe(1);
    const got = await receiver.waitFor(n + 1);
    expect(got[n]!.id).toBe(done!.messageId);
    await eventually(async () =>
      (await deliveries()).find((d) => d.id === done!.id)?.status === "delivered"
        ? true
        : undefined,
    );
  });

  test("redelivery of an unknown delivery, or another endpoint's, is a 404; bad ids a 400", async () => {
    const other = crypto.randomUUID();
    expect(
      (
        await app.json(
          "POST",
          `/api/webhooks/${endpointId}/deliveries/${other}/redeliver`,
          {},
          admin.token,
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await app.json(
          "POST",
          `/api/webhooks/${endpointId}/deliveries/zzz/redeliver`,
          {},
          admin.token,
        )
      ).status,
    ).toBe(400);
    expect(
      (
        await app.json(
          "GET",
          `/api/webhooks/${endpointId}/deliveries?limit=0`,
          undefined,
          admin.token,
        )
      ).status,
    ).toBe(400);
    expect(
      (
        await app.json(
          "GET",
          `/api/webhooks/${endpointId}/deliveries?status=lost`,
          undefined,
          admin.token,
        )
      ).status,
    ).toBe(400);
  });

  test("deleting an endpoint deletes its deliveries and their attempts", async () => {
    const other = startReceiver(SECRET);
    try {
      const res = await app.json(
        "POST",
        "/api/webhooks",
        { url: other.url, events: ["tags.create"], secret: SECRET },
        admin.token,
      );
      const { id } = (await res.json()) as { id: string };
      await app.json("POST", "/api/tags", { name: "t" }, admin.token);
      await other.waitFor(1);
      const count = async () =>
        (
          await app.kernel.lucent.count({
            collection: "webhook-deliveries",
            where: { endpoint: { eq: id } },
            overrideAccess: true,
          })
        ).totalDocs;
      await eventually(async () => ((await count()) === 1 ? true : undefined));
      expect((await app.json("DELETE", `/api/webhooks/${id}`, undefined, admin.token)).status).toBe(
        200,
      );
      expect(await count()).toBe(0);
    } finally {
      other.stop();
    }
  });

  test("deliveries are read-only through the API, for admins too", async () => {
    const [some] = await deliveries();
    expect(
      (
        await app.json(
          "PATCH",
          `/api/webhook-deliveries/${some!.id}`,
          { status: "failed" },
          admin.token,
        )
      ).status,
    ).toBe(403);
    expect((await app.json("GET", `/api/webhook-deliveries`, undefined, admin.token)).status).toBe(
      200,
    );
  });
});
