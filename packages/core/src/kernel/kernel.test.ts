import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { Elysia } from "elysia";
import { z } from "zod";
import { hello } from "../../test/fixtures/hello-module.ts";
import { type Harness, startHarness } from "../../test/harness.ts";
import {
  type ChangeEvent,
  createKernel,
  defineCollection,
  defineLucentConfig,
  type Kernel,
  type LocalApi,
  type LucentModule,
  memoryBus,
} from "../index.ts";

/**
 * A tiny module that uses every part of the kernel interface, and nothing but
 * the public one: a static declaration, and a `setup` that returns one
 * kernel's instance (its state lives there, so one object serves many kernels).
 */
function stamp(options: { label: string }) {
  return {
    name: "stamp",
    optionsSchema: z.object({ label: z.string().min(1) }),
    options,
    extendCollections: (collections) =>
      collections.map((c) =>
        c.slug === "notes" ? { ...c, fields: { ...c.fields, stampedBy: { type: "text" } } } : c,
      ),
    tables: [
      {
        name: "stamp_log",
        columns: [
          { name: "id", type: "uuid", primaryKey: true },
          { name: "note", type: "text" },
        ],
      },
    ],
    apiKey: "stamp",
    setup: (ctx) => {
      const events: ChangeEvent[] = [];
      ctx.changes.subscribe(async (event) => {
        events.push(event);
        await ctx.db.execute(
          sql`insert into stamp_log (id, note) values (${Bun.randomUUIDv7()}::uuid, ${event.id})`,
        );
      });
      return {
        api: { label: () => options.label, events },
        resolveUser: async ({ request }) =>
          request.headers.get("x-user")
            ? { id: "01900000-0000-7000-8000-000000000001", collection: "people" }
            : null,
        hooks: {
          notes: {
            // Runs before the collection's own beforeValidate, and beforeChange after it.
            beforeValidate: [({ data }) => ({ ...data, trail: `${data.trail ?? ""}m` })],
            beforeChange: [
              ({ data }) => ({ ...data, stampedBy: `${options.label}:${data.trail}` }),
            ],
          },
        },
        routes: new Elysia().get("/stamp", () => ({
          label: options.label,
          collections: [...ctx.collections.keys()],
          events: events.length,
        })),
        health: { stamp: async () => {} },
      };
    },
  } satisfies LucentModule<"stamp", { label: () => string; events: ChangeEvent[] }>;
}

const Notes = defineCollection({
  slug: "notes",
  fields: { title: { type: "text", required: true }, trail: { type: "text" } },
  access: { create: ({ user }) => user !== null },
  hooks: {
    beforeValidate: [({ data }) => ({ ...data, trail: `${data.trail ?? ""}c` })],
    beforeChange: [({ data }) => ({ ...data, trail: `${data.trail}C` })],
  },
});

let h: Harness;
let kernel: Kernel;
let app: Harness["app"];

beforeAll(async () => {
  h = await startHarness({ collections: [Notes], modules: [stamp({ label: "hi" })] });
  ({ kernel, app } = h);
});

afterAll(() => h.close());

const request = (path: string, init?: RequestInit) =>
  app.handle(new Request(`http://localhost${path}`, init));

describe("the kernel interface", () => {
  test("a module's routes are mounted under the API prefix", async () => {
    const res = await request("/api/stamp");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ label: "hi", collections: ["notes"] });
  });

  test("a module's Local API is exposed under its key", () => {
    const api = (kernel.lucent as unknown as { stamp: { label(): string } }).stamp;
    expect(api.label()).toBe("hi");
  });

  test("extendCollections adds fields before the table is created", async () => {
    const cols = await kernel.ctx.db.execute<{ column_name: string }>(
      sql`select column_name from information_schema.columns where table_name = 'notes' order by ordinal_position`,
    );
    expect(cols.map((c) => c.column_name)).toContain("stamped_by");
  });

  test("a module's tables are created by the migrator", async () => {
    const rows = await kernel.ctx.db.execute(sql`select to_regclass('stamp_log') as t`);
    expect(rows[0]?.t).not.toBeNull();
  });

  test("resolveUser decides who the caller is", async () => {
    const anonymous = await request("/api/notes", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title: "a" }),
    });
    expect(anonymous.status).toBe(401);
    const signedIn = await request("/api/notes", {
      method: "POST",
      headers: { "content-type": "application/json", "x-user": "1" },
      body: JSON.stringify({ title: "a" }),
    });
    expect(signedIn.status).toBe(201);
  });

  test("change feed subscribers hear committed writes, and may write themselves", async () => {
    const created = await kernel.lucent.create({
      collection: "notes",
      data: { title: "b" },
      overrideAccess: true,
    });
    const events = (kernel.lucent as unknown as { stamp: { events: ChangeEvent[] } }).stamp.events;
    expect(events.map((e) => [e.operation, e.id])).toContainEqual(["create", created.id]);
    const log = await kernel.ctx.db.execute(
      sql`select note from stamp_log where note = ${created.id}`,
    );
    expect(log).toHaveLength(1);
  });

  test("a module's health check joins /api/health", async () => {
    const res = await request("/api/health");
    expect(await res.json()).toEqual({
      status: "ok",
      checks: { db: "ok", storage: "ok", stamp: "ok" },
    });
  });

  test("a module's options are checked at startup with the rest of the config", async () => {
    const bad = defineLucentConfig({
      db: { url: h.db.url },
      dataDir: h.dir,
      collections: [Notes],
      modules: [stamp({ label: "" })],
    });
    await expect(createKernel(bad)).rejects.toThrow("modules[0] (stamp).label: Too small");
  });

  test("a module that needs another one names it", async () => {
    const needy: LucentModule = { name: "needy", dependsOn: ["@lucent/auth"] };
    const bad = defineLucentConfig({
      db: { url: h.db.url },
      dataDir: h.dir,
      collections: [Notes],
      modules: [needy],
    });
    await expect(createKernel(bad)).rejects.toThrow(
      "modules[0] (needy): requires @lucent/auth in modules",
    );
  });

  test("a module's beforeValidate runs before the collection's own, its beforeChange after", async () => {
    const doc = await kernel.lucent.create({
      collection: "notes",
      data: { title: "order" },
      overrideAccess: true,
    });
    expect(doc.trail).toBe("mcC");
    expect(doc.stampedBy).toBe("hi:mcC");
  });

  test("two modules providing the same driver stop startup, whatever their order", async () => {
    const bus = () => memoryBus();
    const one: LucentModule = { name: "bus-one", drivers: { bus } };
    const two: LucentModule = { name: "bus-two", drivers: { bus } };
    for (const modules of [
      [one, two],
      [two, one],
    ]) {
      const config = defineLucentConfig({
        db: { url: h.db.url },
        dataDir: h.dir,
        collections: [Notes],
        modules,
        typegen: { output: false },
      });
      await expect(createKernel(config)).rejects.toThrow(/both provide the bus driver/);
    }
  });

  test("a module's API used in another's setup without dependsOn names the fix", async () => {
    const early: LucentModule = {
      name: "early",
      setup: (ctx) => {
        (ctx.lucent as unknown as { stamp: unknown }).stamp;
      },
    };
    const config = defineLucentConfig({
      db: { url: h.db.url },
      dataDir: h.dir,
      collections: [Notes],
      modules: [early, stamp({ label: "late" })],
      typegen: { output: false },
    });
    await expect(createKernel(config)).rejects.toThrow(
      'lucent.stamp is used before stamp was set up; list "stamp" in the using module\'s dependsOn',
    );
  });
});

describe("the README's module", () => {
  test("greets through the Local API, answers its route, and counts this kernel's changes", async () => {
    const readme = await startHarness({
      collections: [Notes],
      modules: [hello({ greeting: "hi" })],
    });
    try {
      expect((readme.kernel.lucent as unknown as LocalApi).hello?.greet("Ada")).toBe("hi Ada");
      expect(await (await readme.request("/api/hello")).json()).toEqual({ hello: "stranger" });
      await readme.kernel.lucent.create({
        collection: "notes",
        data: { title: "x" },
        overrideAccess: true,
      });
      expect((readme.kernel.lucent as unknown as LocalApi).hello?.seen()).toBe(1);
    } finally {
      await readme.close();
    }
  });
});

describe("one module object, two kernels", () => {
  test("each kernel gets its own instance: API, routes, hooks and change feed", async () => {
    const shared = stamp({ label: "both" });
    const first = await startHarness({ collections: [Notes], modules: [shared] });
    const second = await startHarness({ collections: [Notes], modules: [shared] });
    try {
      const one = await first.kernel.lucent.create({
        collection: "notes",
        data: { title: "one" },
        overrideAccess: true,
      });
      await second.kernel.lucent.create({
        collection: "notes",
        data: { title: "two" },
        overrideAccess: true,
      });
      await second.kernel.lucent.create({
        collection: "notes",
        data: { title: "three" },
        overrideAccess: true,
      });
      const eventsOf = (k: Kernel) =>
        (k.lucent as unknown as { stamp: { events: ChangeEvent[] } }).stamp.events;
      expect(eventsOf(first.kernel).map((e) => e.id)).toEqual([one.id]);
      expect(eventsOf(second.kernel)).toHaveLength(2);
      expect(await (await first.request("/api/stamp")).json()).toMatchObject({ events: 1 });
      expect(await (await second.request("/api/stamp")).json()).toMatchObject({ events: 2 });
      expect(one.stampedBy).toBe("both:mcC");
      // Each kernel's subscriber writes to its own database.
      const logOf = (k: Kernel) => k.ctx.db.execute(sql`select note from stamp_log`);
      expect(await logOf(first.kernel)).toHaveLength(1);
      expect(await logOf(second.kernel)).toHaveLength(2);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
