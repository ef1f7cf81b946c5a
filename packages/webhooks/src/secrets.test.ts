import { afterAll, beforeAll, expect, test } from "bun:test";
import { secrets } from "@lucent/secrets";
import { sql } from "drizzle-orm";
import { type App, eventually, FAST, startApp } from "../test/harness.ts";
import { type Receiver, startReceiver } from "../test/receiver.ts";

let app: App;
let admin: { token: string };
let receiver: Receiver;

beforeAll(async () => {
  app = await startApp({ modules: [secrets()], webhooks: { ...FAST, allowPrivate: true } });
  admin = await app.user("admin@example.com", true);
});
afterAll(async () => {
  await app.close();
  receiver?.stop();
});

const stored = async () =>
  (
    await app.kernel.ctx.db.execute<{ secret: string }>(
      sql`select secret from ${sql.identifier(app.kernel.ctx.collections.get("webhooks")!.table)}`,
    )
  ).map((r) => r.secret);
const secretKeys = async () =>
  (
    await app.kernel.ctx.db.execute<{ key: string }>(
      sql`select key from lucent_secrets order by key`,
    )
  ).map((r) => r.key);

test("with @lucent/secrets installed, the signing secret lives there and signs deliveries", async () => {
  const res = await app.json(
    "POST",
    "/api/webhooks",
    { url: "http://127.0.0.1:9/", events: ["notes.create"] },
    admin.token,
  );
  expect(res.status).toBe(201);
  const { id, secret } = (await res.json()) as { id: string; secret: string };
  receiver = startReceiver(secret);
  expect(
    (await app.json("PATCH", `/api/webhooks/${id}`, { url: receiver.url }, admin.token)).status,
  ).toBe(200);

  const [ref] = await stored();
  expect(ref).toMatch(/^store:/);
  expect(await secretKeys()).toEqual([
    `webhooks:${ref!.slice("store:".length)}:standard-webhooks:signing`,
  ]);
  expect(
    JSON.stringify(await app.kernel.ctx.db.execute(sql`select * from lucent_secrets`)),
  ).not.toContain(secret);

  await app.json("POST", "/api/notes", { title: "signed from the store" });
  const [got] = await receiver.waitFor(1);
  expect(got!.verified).toBe(true);

  // A new secret replaces the old record; deleting the endpoint removes it.
  const fresh = `whsec_${Buffer.alloc(32, 9).toString("base64")}`;
  const rotated = await app.json("PATCH", `/api/webhooks/${id}`, { secret: fresh }, admin.token);
  expect(((await rotated.json()) as { secret: string }).secret).toBe(fresh);
  const [ref2] = await stored();
  expect(ref2).not.toBe(ref);
  expect(await secretKeys()).toEqual([
    `webhooks:${ref2!.slice("store:".length)}:standard-webhooks:signing`,
  ]);
  expect((await app.json("DELETE", `/api/webhooks/${id}`, undefined, admin.token)).status).toBe(
    200,
  );
  await eventually(async () => ((await secretKeys()).length === 0 ? true : undefined));
});
