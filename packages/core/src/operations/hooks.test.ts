import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { type Harness, startHarness } from "../../test/harness.ts";
import { defineCollection, type Kernel } from "../index.ts";
import type { CollectionHooks, Doc } from "../query/access-types.ts";

const calls: string[] = [];
let failIn: string | undefined;

/** Every hook records its name; the one named in `failIn` throws. */
function recorder(prefix: string): CollectionHooks {
  const hook =
    (name: string) =>
    async (_args: { data?: Record<string, unknown>; doc?: Doc }): Promise<undefined> => {
      calls.push(`${prefix}.${name}`);
      if (failIn === name) throw new Error(`${name} refused`);
      return undefined;
    };
  return {
    beforeValidate: [hook("beforeValidate")],
    beforeChange: [hook("beforeChange")],
    afterChange: [hook("afterChange")],
    beforeRead: [hook("beforeRead")],
    afterRead: [hook("afterRead")],
    beforeDelete: [hook("beforeDelete")],
    afterDelete: [hook("afterDelete")],
    afterCommit: [hook("afterCommit")],
  };
}

const open = { create: () => true, update: () => true, delete: () => true };

const Audit = defineCollection({
  slug: "audit",
  access: open,
  fields: { note: { type: "text" } },
});

const Items = defineCollection({
  slug: "items",
  access: open,
  fields: {
    name: {
      type: "text",
      required: true,
      hooks: {
        beforeChange: [
          ({ value }) => {
            calls.push("field.beforeChange");
            return typeof value === "string" ? value.trim() : value;
          },
        ],
        afterRead: [
          ({ value }) => {
            calls.push("field.afterRead");
            return value;
          },
        ],
      },
    },
  },
  hooks: {
    ...recorder("items"),
    beforeChange: [
      async ({ data, lucent, operation }) => {
        calls.push("items.beforeChange");
        if (failIn === "beforeChange") throw new Error("beforeChange refused");
        // Hooks get the Local API bound to the write's transaction.
        if (operation === "create") {
          await lucent.create({
            collection: "audit",
            data: { note: `created ${String(data.name)}` },
            overrideAccess: true,
          });
        }
        return data;
      },
    ],
  },
});

let h: Harness;
let kernel: Kernel;
let app: Harness["app"];

beforeAll(async () => {
  h = await startHarness({ collections: [Audit, Items] });
  ({ kernel, app } = h);
});

afterAll(() => h.close());

beforeEach(() => {
  calls.length = 0;
  failIn = undefined;
});

const local = () => kernel.lucent;
const json = (method: string, path: string, body?: unknown) =>
  app.handle(
    new Request(`http://localhost${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
    }),
  );

/** What a create or an update runs, in order (CONTRACT §7). */
const WRITE_ORDER = [
  "items.beforeValidate",
  "field.beforeChange",
  "items.beforeChange",
  "items.afterChange",
  "items.beforeRead",
  "field.afterRead",
  "items.afterRead",
  "items.afterCommit",
];

describe("hook order", () => {
  test("a create runs the hooks in the documented order, afterCommit last", async () => {
    const res = await json("POST", "/api/items", { name: "  lamp  " });
    expect(res.status).toBe(201);
    expect((await res.json()).name).toBe("lamp");
    expect(calls).toEqual(WRITE_ORDER);
  });

  test("an update runs the same sequence", async () => {
    const item = await local().create({
      collection: "items",
      data: { name: "chair" },
      overrideAccess: true,
    });
    calls.length = 0;
    await local().update({
      collection: "items",
      id: item.id,
      data: { name: "stool" },
      overrideAccess: true,
    });
    expect(calls).toEqual(WRITE_ORDER);
  });

  test("a delete runs beforeDelete, afterDelete, the read hooks, then afterCommit", async () => {
    const item = await local().create({
      collection: "items",
      data: { name: "desk" },
      overrideAccess: true,
    });
    calls.length = 0;
    await local().delete({ collection: "items", id: item.id, overrideAccess: true });
    expect(calls).toEqual([
      "items.beforeDelete",
      "items.afterDelete",
      "items.beforeRead",
      "field.afterRead",
      "items.afterRead",
      "items.afterCommit",
    ]);
  });

  test("a read runs beforeRead, field afterRead and afterRead per document", async () => {
    await local().create({ collection: "items", data: { name: "bed" }, overrideAccess: true });
    calls.length = 0;
    const list = await local().find({ collection: "items", limit: 1 });
    expect(list.docs).toHaveLength(1);
    expect(calls).toEqual(["items.beforeRead", "field.afterRead", "items.afterRead"]);
  });
});

describe("a throwing hook", () => {
  test("a throwing beforeChange leaves no row behind, not even the hook's own writes", async () => {
    const before = await local().count({ collection: "items" });
    const auditBefore = await local().count({ collection: "audit" });
    failIn = "beforeChange";
    const res = await json("POST", "/api/items", { name: "ghost" });
    expect(res.status).toBe(500);
    const body = await res.json();
    expect(body).toEqual({
      error: { code: "INTERNAL", message: "internal error", requestId: expect.any(String) },
    });
    expect(await local().count({ collection: "items" })).toEqual(before);
    expect(await local().count({ collection: "audit" })).toEqual(auditBefore);
    expect(calls).not.toContain("items.afterCommit");
  });

  test("a throwing afterChange rolls the write back and afterCommit never runs", async () => {
    const before = await local().count({ collection: "items" });
    failIn = "afterChange";
    await expect(
      local().create({ collection: "items", data: { name: "late" }, overrideAccess: true }),
    ).rejects.toThrow("afterChange refused");
    expect(await local().count({ collection: "items" })).toEqual(before);
    expect(calls).not.toContain("items.afterCommit");
  });

  test("a throwing afterCommit does not undo the committed write", async () => {
    const before = (await local().count({ collection: "items" })).totalDocs;
    failIn = "afterCommit";
    const doc = await local().create({
      collection: "items",
      data: { name: "kept" },
      overrideAccess: true,
    });
    expect(doc.name).toBe("kept");
    expect((await local().count({ collection: "items" })).totalDocs).toBe(before + 1);
  });

  test("a hook's nested write commits with the outer write", async () => {
    const created = await local().create({
      collection: "items",
      data: { name: "vase" },
      overrideAccess: true,
    });
    const audit = await local().find({
      collection: "audit",
      where: { note: { eq: `created ${created.name}` } },
    });
    expect(audit.totalDocs).toBe(1);
  });
});
