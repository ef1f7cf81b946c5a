import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { type App, FAST, startApp } from "../test/harness.ts";

let app: App;
let admin: { id: string; token: string };
let ada: { id: string; token: string };

beforeAll(async () => {
  app = await startApp({
    webhooks: {
      ...FAST,
      allowPrivate: true,
      endpoints: [
        {
          name: "billing",
          url: "http://127.0.0.1:9/billing",
          events: ["notes.*"],
          secret: `whsec_${Buffer.alloc(32, 7).toString("base64")}`,
        },
      ],
    },
  });
  admin = await app.user("admin@example.com", true);
  ada = await app.user("ada@example.com");
});
afterAll(() => app.close());

describe("endpoints at /api/webhooks", () => {
  test("an admin creates one and sees its secret once; nobody reads it again", async () => {
    const res = await app.json(
      "POST",
      "/api/webhooks",
      { url: "https://hooks.example.com/in", events: ["notes.create"] },
      admin.token,
    );
    expect(res.status).toBe(201);
    const created = (await res.json()) as {
      id: string;
      secret: string;
      enabled: boolean;
      source: string;
    };
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(created.enabled).toBe(true);
    expect(created.source).toBe("admin");
    const again = (await (
      await app.json("GET", `/api/webhooks/${created.id}`, undefined, admin.token)
    ).json()) as Record<string, unknown>;
    expect(again.secret).toBeUndefined();
    const list = (await (
      await app.json("GET", "/api/webhooks", undefined, admin.token)
    ).json()) as { docs: Array<Record<string, unknown>> };
    expect(list.docs.every((d) => d.secret === undefined)).toBe(true);
    const everything = JSON.stringify(await app.kernel.ctx.db.execute(sql`select * from webhooks`));
    expect(everything).not.toContain(created.secret);
  });

  test("a secret the admin gives is kept, and shown once too", async () => {
    const secret = `whsec_${Buffer.alloc(24, 1).toString("base64")}`;
    const res = await app.json(
      "POST",
      "/api/webhooks",
      { url: "https://a.example.com/", events: ["*"], secret },
      admin.token,
    );
    expect(res.status).toBe(201);
    expect(((await res.json()) as { secret: string }).secret).toBe(secret);
  });

  test("bad URLs, filters and secrets are a 400 naming the field", async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ url: "ftp://example.com", events: ["*"] }, "url"],
      [{ url: "not a url", events: ["*"] }, "url"],
      [{ url: "https://user:pw@example.com/", events: ["*"] }, "url"],
      [{ url: "https://example.com/", events: ["nope.create"] }, "events.0"],
      [{ url: "https://example.com/", events: ["notes.publish"] }, "events.0"],
      [{ url: "https://example.com/", events: [] }, "events"],
      [{ url: "https://example.com/", events: ["*"], secret: "hunter2" }, "secret"],
      [{ url: "https://example.com/", events: ["webhooks.create"] }, "events.0"],
    ];
    for (const [body, path] of cases) {
      const res = await app.json("POST", "/api/webhooks", body, admin.token);
      expect(res.status).toBe(400);
      const error = (
        (await res.json()) as { error: { code: string; details: Array<{ path: string }> } }
      ).error;
      expect(error.code).toBe("VALIDATION_ERROR");
      expect(error.details.map((d) => d.path)).toContain(path);
    }
  });

  test("only admins manage endpoints", async () => {
    expect((await app.json("GET", "/api/webhooks")).status).toBe(401);
    expect((await app.json("GET", "/api/webhooks", undefined, ada.token)).status).toBe(403);
    expect(
      (
        await app.json(
          "POST",
          "/api/webhooks",
          { url: "https://e.example.com/", events: ["*"] },
          ada.token,
        )
      ).status,
    ).toBe(403);
  });

  test("a config endpoint is listed, may be disabled, but not edited or deleted", async () => {
    const list = (await (
      await app.json(
        "GET",
        `/api/webhooks?where=${encodeURIComponent('{"source":{"eq":"config"}}')}`,
        undefined,
        admin.token,
      )
    ).json()) as { docs: Array<{ id: string; name: string; url: string }> };
    expect(list.docs.map((d) => d.name)).toEqual(["billing"]);
    const id = list.docs[0]!.id;
    expect(
      (
        await app.json(
          "PATCH",
          `/api/webhooks/${id}`,
          { url: "https://evil.example.com/" },
          admin.token,
        )
      ).status,
    ).toBe(400);
    expect((await app.json("DELETE", `/api/webhooks/${id}`, undefined, admin.token)).status).toBe(
      403,
    );
    const off = await app.json("PATCH", `/api/webhooks/${id}`, { enabled: false }, admin.token);
    expect(off.status).toBe(200);
    expect(((await off.json()) as { enabled: boolean }).enabled).toBe(false);
  });

  test("an admin endpoint is updated and deleted, and its deliveries route answers", async () => {
    const res = await app.json(
      "POST",
      "/api/webhooks",
      { url: "https://b.example.com/", events: ["tags.*"] },
      admin.token,
    );
    const { id } = (await res.json()) as { id: string };
    const patched = await app.json(
      "PATCH",
      `/api/webhooks/${id}`,
      { events: ["tags.delete"], description: "tags" },
      admin.token,
    );
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as { secret?: string }).secret).toBeUndefined();
    const deliveries = await app.json(
      "GET",
      `/api/webhooks/${id}/deliveries`,
      undefined,
      admin.token,
    );
    expect(deliveries.status).toBe(200);
    expect(((await deliveries.json()) as { docs: unknown[] }).docs).toEqual([]);
    expect(
      (await app.json("GET", `/api/webhooks/${id}/deliveries`, undefined, ada.token)).status,
    ).toBe(403);
    expect(
      (await app.json("GET", `/api/webhooks/not-a-uuid/deliveries`, undefined, admin.token)).status,
    ).toBe(400);
    expect((await app.json("DELETE", `/api/webhooks/${id}`, undefined, admin.token)).status).toBe(
      200,
    );
    expect(
      (await app.json("GET", `/api/webhooks/${id}/deliveries`, undefined, admin.token)).status,
    ).toBe(404);
  });
});

test("the module describes its own routes for the OpenAPI document", () => {
  const fragment = app.kernel.ctx.getModule("@lucent/webhooks")?.instance?.openapi?.();
  expect(Object.keys(fragment?.paths ?? {})).toEqual([
    "/webhooks/{id}/deliveries",
    "/webhooks/{id}/deliveries/{deliveryId}/redeliver",
  ]);
});
