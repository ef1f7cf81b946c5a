import { afterAll, beforeAll, expect, test } from "bun:test";
import { type Harness, startHarness } from "../../test/harness.ts";
import {
  type ChangeEvent,
  defineCollection,
  type LucentModule,
  type WriteOrigin,
} from "../index.ts";

const WRITER = "01900000-0000-7000-8000-00000000abcd";
const seen: WriteOrigin[] = [];
const heard: ChangeEvent[] = [];

const Logs = defineCollection({
  slug: "logs",
  fields: { line: { type: "text" } },
  access: { create: () => false },
  hooks: { afterChange: [({ origin }) => void seen.push(origin)] },
});

// A note's hook writes a log as server code: no user of its own.
const Notes = defineCollection({
  slug: "notes",
  fields: { title: { type: "text" } },
  access: { create: ({ user }) => user !== null },
  hooks: {
    afterChange: [
      async ({ doc, lucent }) => {
        await lucent.create({
          collection: "logs",
          data: { line: `note ${doc.id}` },
          overrideAccess: true,
        });
        return undefined;
      },
    ],
  },
});

const caller = {
  name: "caller",
  setup: (ctx) => {
    ctx.changes.subscribe((event) => void heard.push(event));
    return {
      resolveUser: async ({ request }) =>
        request.headers.get("x-user") ? { id: WRITER, collection: "people" } : null,
    };
  },
} satisfies LucentModule;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ collections: [Notes, Logs], modules: [caller] });
});
afterAll(() => h.close());

test("a write made in another write's hook is attributed to the outer caller and request", async () => {
  const res = await h.json("POST", "/api/notes", { title: "a" }, { "x-user": "1" });
  expect(res.status).toBe(201);
  const requestId = res.headers.get("x-request-id");
  expect(seen.at(-1)?.actor?.id).toBe(WRITER);
  expect(seen.at(-1)?.requestId).toBe(requestId);
  const log = heard.find((e) => e.collection === "logs");
  expect(log?.actor).toBe(WRITER);
  expect(log?.requestId).toBe(requestId);
});

test("server code outside a request is attributed to no one", async () => {
  await h.kernel.lucent.create({ collection: "notes", data: { title: "b" }, overrideAccess: true });
  expect(seen.at(-1)).toEqual({ actor: null, requestId: null, ip: null });
  expect(heard.filter((e) => e.collection === "logs").at(-1)?.actor).toBeNull();
});
