import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { Elysia } from "elysia";
import { z } from "zod";
import { type Harness, startHarness } from "../test/harness.ts";
import { defineCollection, defineLucentConfig, type Kernel } from "./index.ts";
import type { ChangeEvent, LucentModule } from "./kernel.ts";
import { createKernel } from "./kernel-create.ts";

/** A tiny module that uses every part of the kernel interface. */
function stamp(options: { label: string }) {
  const events: ChangeEvent[] = [];
  const module = {
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
    resolveUser: async ({ request }) =>
      request.headers.get("x-user")
        ? { id: "01900000-0000-7000-8000-000000000001", collection: "people" }
        : null,
    api: { key: "stamp", create: () => ({ label: () => options.label, events }) },
    setup: (ctx) => {
      ctx.changes.subscribe(async (event) => {
        events.push(event);
        await ctx.db.execute(
          sql`insert into stamp_log (id, note) values (${Bun.randomUUIDv7()}::uuid, ${event.id})`,
        );
      });
    },
    routes: (ctx) =>
      new Elysia().get("/stamp", () => ({
        label: options.label,
        collections: [...ctx.collections.keys()],
      })),
    health: () => ({ stamp: async () => {} }),
  } satisfies LucentModule<"stamp", { label: () => string; events: ChangeEvent[] }>;
  return module;
}

const Notes = defineCollection({
  slug: "notes",
  fields: { title: { type: "text", required: true } },
  access: { create: ({ user }) => user !== null },
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
    expect(await res.json()).toEqual({ label: "hi", collections: ["notes"] });
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
});
