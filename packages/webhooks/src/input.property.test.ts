import { afterAll, beforeAll, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { type App, startApp } from "../test/harness.ts";
import { checkEndpointUrl } from "./target.ts";

let app: App;
let admin: { token: string };
let endpointId: string;

beforeAll(async () => {
  app = await startApp();
  admin = await app.user("admin@example.com", true);
  const res = await app.json(
    "POST",
    "/api/webhooks",
    { url: "https://ok.example.com/", events: ["*"] },
    admin.token,
  );
  endpointId = ((await res.json()) as { id: string }).id;
});
afterAll(() => app.close());

const snapshot = async () =>
  JSON.stringify(
    await app.kernel.ctx.db.execute(
      sql`select * from ${sql.identifier(app.kernel.ctx.collections.get("webhooks")!.table)} order by id`,
    ),
  );

const urlish = fc.oneof(
  fc.string(),
  fc.webUrl(),
  fc.ipV4().map((ip) => `http://${ip}/`),
  fc.ipV6().map((ip) => `http://[${ip}]:8080/x`),
  fc.constantFrom(
    "http://localhost/",
    "javascript:alert(1)",
    "http://a@b/",
    "https://x.example.com/#f",
    "http://[::1",
    "",
  ),
  fc.anything(),
);
const filter = fc.oneof(
  fc.string(),
  fc.constantFrom(
    "*",
    "notes.*",
    "*.delete",
    "notes.create",
    "tags.update",
    "users.nope",
    "constructor.create",
    "__proto__.*",
    ".",
  ),
  fc.anything(),
);
const events = fc.oneof(fc.array(filter, { maxLength: 60 }), fc.anything());
const secret = fc.oneof(
  fc.string(),
  fc.string().map((s) => `whsec_${s}`),
  fc.anything(),
);

test("random endpoint bodies are a 201 or a 400, never a 5xx, and a 400 changes nothing", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.record({ url: urlish, events, secret, description: fc.anything() }, { requiredKeys: [] }),
      fc.boolean(),
      async (body, patch) => {
        const before = await snapshot();
        const res = patch
          ? await app.json("PATCH", `/api/webhooks/${endpointId}`, body, admin.token)
          : await app.json("POST", "/api/webhooks", body, admin.token);
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) {
          expect(res.status).toBe(400);
          const { error } = (await res.json()) as { error: { code: string } };
          expect(error.code).toBe("VALIDATION_ERROR");
          expect(await snapshot()).toBe(before);
        }
      },
    ),
    { numRuns: 200 },
  );
});

test("random deliveries queries are a 200 or a 400", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.dictionary(
        fc.constantFrom("limit", "page", "status", "where", "x", "constructor"),
        fc.string(),
      ),
      fc.oneof(fc.constant(endpointId), fc.string({ minLength: 1 }).map(encodeURIComponent)),
      async (query, id) => {
        const res = await app.json(
          "GET",
          `/api/webhooks/${id}/deliveries?${new URLSearchParams(query)}`,
          undefined,
          admin.token,
        );
        expect([200, 400, 404]).toContain(res.status);
      },
    ),
    { numRuns: 150 },
  );
});

test("checkEndpointUrl throws its own error or returns an http(s) URL, for any input", () => {
  const policy = { allowPrivate: false, allowTargets: new Set<string>() };
  fc.assert(
    fc.property(urlish, (input) => {
      try {
        const url = checkEndpointUrl(input, policy);
        expect(["http:", "https:"]).toContain(url.protocol);
      } catch (error) {
        expect((error as Error).name).toBe("TargetRefusedError");
      }
    }),
    { numRuns: 2000 },
  );
});
