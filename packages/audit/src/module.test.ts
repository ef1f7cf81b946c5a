import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Doc, defineCollection, ValidationError, type Where } from "@lucent/core";
import { sql } from "drizzle-orm";
import { type App, Notes, PASSWORD, startApp, Users } from "../test/harness.ts";

interface Entry extends Doc {
  operation: string;
  collection: string;
  documentId: string;
  actor: string | null;
  requestId: string | null;
  ip: string | null;
  changedFields: string[];
  changes: Record<string, { from?: unknown; to?: unknown }>;
  detail: Record<string, unknown> | null;
}

// A note's hook writes a log line as server code (no user of its own).
const Lines = defineCollection({ slug: "lines", fields: { text: { type: "text" } } });
const HookedNotes = defineCollection({
  ...Notes,
  hooks: {
    afterChange: [
      async ({ doc, lucent, operation }) => {
        if (operation === "create")
          await lucent.create({
            collection: "lines",
            data: { text: `note ${doc.id}` },
            overrideAccess: true,
          });
        return undefined;
      },
    ],
    beforeChange: [
      ({ data }) => {
        // After the note's insert would have been recorded: the entry must go with the write.
        if (data.title === "explode")
          throw new ValidationError([{ path: "title", message: "refused by a hook" }]);
        return undefined;
      },
    ],
  },
});

let app: App;
let admin: { id: string; token: string };
let ada: { id: string; token: string };

beforeAll(async () => {
  app = await startApp({ collections: [Users, HookedNotes, Lines] });
  admin = await app.user("admin@example.com", true);
  ada = await app.user("ada@example.com");
});
afterAll(() => app.close());

const entries = async (where: Where): Promise<Entry[]> =>
  (
    await app.kernel.lucent.find({
      collection: "audit",
      where,
      sort: "createdAt",
      limit: 100,
      overrideAccess: true,
    })
  ).docs as Entry[];

describe("what is recorded", () => {
  test("a REST create, update and delete each leave one entry with actor, request, operation and changes", async () => {
    const created = await app.json("POST", "/api/notes", { title: "first", body: "x" }, ada.token);
    expect(created.status).toBe(201);
    const note = (await created.json()) as { id: string };
    const updated = await app.json("PATCH", `/api/notes/${note.id}`, { body: "y" }, ada.token);
    expect(updated.status).toBe(200);
    expect((await app.json("DELETE", `/api/notes/${note.id}`, undefined, admin.token)).status).toBe(
      200,
    );

    const log = await entries({ collection: { eq: "notes" }, documentId: { eq: note.id } });
    expect(log.map((e) => e.operation)).toEqual(["create", "update", "delete"]);
    expect(log.map((e) => e.actor)).toEqual([ada.id, ada.id, admin.id]);
    expect(log[0]!.requestId).toBe(created.headers.get("x-request-id"));
    expect(log[1]!.requestId).toBe(updated.headers.get("x-request-id"));
    expect(log[0]!.changes).toEqual({ title: { to: "first" }, body: { to: "x" } });
    expect(log[1]!.changedFields).toEqual(["body"]);
    expect(log[1]!.changes).toEqual({ body: { from: "x", to: "y" } });
    expect(log[2]!.changes).toEqual({ title: { from: "first" }, body: { from: "y" } });
  });

  test("a rolled-back write leaves no entry", async () => {
    const before = (await entries({ collection: { eq: "notes" } })).length;
    const res = await app.json("POST", "/api/notes", { title: "explode" }, ada.token);
    expect(res.status).toBe(400);
    expect((await entries({ collection: { eq: "notes" } })).length).toBe(before);
  });

  test("a write made by a hook is attributed to the caller whose write ran the hook", async () => {
    const res = await app.json("POST", "/api/notes", { title: "with a line" }, ada.token);
    const note = (await res.json()) as { id: string };
    const line = (await entries({ collection: { eq: "lines" } })).find(
      (e) => e.changes.text?.to === `note ${note.id}`,
    );
    expect(line?.actor).toBe(ada.id);
    expect(line?.requestId).toBe(res.headers.get("x-request-id"));
    expect(line?.changes.text).toEqual({ to: `note ${note.id}` });
  });

  test("a password change is recorded by name, without the password or its hash", async () => {
    const res = await app.json(
      "PATCH",
      `/api/users/${ada.id}`,
      { password: "a brand new password", currentPassword: PASSWORD, phone: "+44 20 7946 0000" },
      ada.token,
    );
    expect(res.status).toBe(200);
    const [entry] = (
      await entries({ collection: { eq: "users" }, documentId: { eq: ada.id } })
    ).filter((e) => e.operation === "update" && e.changedFields.includes("password"));
    expect(entry?.changedFields).toEqual(expect.arrayContaining(["password", "phone"]));
    expect(entry?.changes.password).toBeUndefined();
    expect(entry?.changes.phone).toBeUndefined();
    const everything = JSON.stringify(await app.kernel.ctx.db.execute(sql`select * from audit`));
    expect(everything).not.toContain("a brand new password");
    expect(everything).not.toContain("$argon2");
    expect(everything).not.toContain("7946");
  });
});

describe("auth events", () => {
  const authEntries = async (operation: string) => entries({ operation: { eq: operation } });

  test("a sign-in, a failed one, a sign-out and API keys are recorded, with no secret", async () => {
    const grace = await app.user("grace@example.com");
    const ok = await app.json("POST", "/api/auth/login", {
      email: "grace@example.com",
      password: PASSWORD,
    });
    expect(ok.status).toBe(200);
    const { accessToken } = (await ok.json()) as { accessToken: string };
    const [login] = (await authEntries("auth.login")).filter((e) => e.documentId === grace.id);
    expect(login?.actor).toBe(grace.id);
    expect(login?.requestId).toBe(ok.headers.get("x-request-id"));
    expect(login?.detail).toEqual({ email: "grace@example.com" });

    const wrong = await app.json("POST", "/api/auth/login", {
      email: "grace@example.com",
      password: "not the password",
    });
    expect(wrong.status).toBe(401);
    const unknown = await app.json("POST", "/api/auth/login", {
      email: "nobody@example.com",
      password: "whatever it is",
    });
    expect(unknown.status).toBe(401);
    const failed = await authEntries("auth.login_failed");
    expect(failed.map((e) => [e.documentId, e.actor, e.detail])).toEqual([
      [grace.id, null, { email: "grace@example.com" }],
      [null, null, { email: "nobody@example.com" }],
    ]);

    const key = await app.json("POST", "/api/auth/api-keys", { name: "ci" }, accessToken);
    expect(key.status).toBe(201);
    const { id: keyId, key: secret } = (await key.json()) as { id: string; key: string };
    expect(
      (await app.json("DELETE", `/api/auth/api-keys/${keyId}`, undefined, accessToken)).status,
    ).toBe(200);
    for (const operation of ["auth.api_key_created", "auth.api_key_revoked"]) {
      const [entry] = await authEntries(operation);
      expect(entry?.actor).toBe(grace.id);
      expect(entry?.detail).toEqual({ keyId });
    }

    expect((await app.json("POST", "/api/auth/logout", {}, accessToken)).status).toBe(200);
    const [logout] = await authEntries("auth.logout");
    expect(logout?.actor).toBe(grace.id);

    const everything = JSON.stringify(await app.kernel.ctx.db.execute(sql`select * from audit`));
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain("not the password");
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(accessToken);
  });
});

describe("reading the log", () => {
  test("admins read it with the query language; others are refused", async () => {
    const res = await app.request(
      `/api/audit?where=${encodeURIComponent(JSON.stringify({ collection: { eq: "notes" }, operation: { eq: "create" } }))}&sort=-createdAt&limit=1`,
      { headers: { authorization: `Bearer ${admin.token}` } },
    );
    expect(res.status).toBe(200);
    const page = (await res.json()) as { docs: Entry[]; totalDocs: number };
    expect(page.docs).toHaveLength(1);
    expect(page.docs[0]!.operation).toBe("create");
    expect(page.totalDocs).toBeGreaterThanOrEqual(2);
    expect((await app.json("GET", "/api/audit", undefined, ada.token)).status).toBe(403);
    expect((await app.json("GET", "/api/audit")).status).toBe(401);
  });

  test("nobody writes it through the API, admins included", async () => {
    const [some] = await entries({});
    expect(
      (await app.json("POST", "/api/audit", { operation: "create" }, admin.token)).status,
    ).toBe(403);
    expect(
      (await app.json("PATCH", `/api/audit/${some!.id}`, { actor: "x" }, admin.token)).status,
    ).toBe(403);
    expect(
      (await app.json("DELETE", `/api/audit/${some!.id}`, undefined, admin.token)).status,
    ).toBe(403);
  });
});

describe("retention", () => {
  test("entries older than retentionDays are pruned when the module starts", async () => {
    const short = await startApp({ audit: { retentionDays: 1 } });
    try {
      const writer = await short.user("old@example.com");
      await short.json("POST", "/api/notes", { title: "old" }, writer.token);
      await short.kernel.ctx.db.execute(
        sql`update audit set created_at = now() - interval '2 days' where collection = 'notes'`,
      );
      await short.json("POST", "/api/notes", { title: "new" }, writer.token);
      await short.kernel.start();
      const left = async () =>
        (
          await short.kernel.ctx.db.execute<{ n: number }>(
            sql`select count(*)::int as n from audit where collection = 'notes'`,
          )
        )[0]!.n;
      for (let i = 0; i < 100 && (await left()) !== 1; i++) await Bun.sleep(10);
      expect(await left()).toBe(1);
    } finally {
      await short.close();
    }
  });
});
