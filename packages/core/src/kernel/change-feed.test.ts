import { afterAll, beforeAll, beforeEach, expect, test } from "bun:test";
import { type Harness, startHarness } from "../../test/harness.ts";
import { memoryBus } from "../drivers/bus-memory.ts";
import { defineCollection, type LucentModule } from "../index.ts";
import { createKernel, type Kernel } from "./kernel-create.ts";
import type { ChangeEvent } from "./kernel-events.ts";

const WRITER = "01900000-0000-7000-8000-00000000000a";

const Notes = defineCollection({
  slug: "notes",
  fields: { title: { type: "text" } },
  access: { read: () => true, create: () => true, update: () => true, delete: () => true },
  hooks: {
    beforeChange: [
      ({ data }) => {
        if (data.title === "boom") throw new Error("rolled back");
        return data;
      },
    ],
  },
});

// Two instances on one bus, as instances sharing Redis are. The memory bus
// echoes a publish to every subscriber, its publisher's included.
const bus = memoryBus();
const sharedBus = { name: "shared-bus", drivers: { bus: () => bus } } satisfies LucentModule;
const caller = {
  name: "caller",
  setup: () => ({
    resolveUser: async ({ request }) =>
      request.headers.get("x-user") ? { id: WRITER, collection: "people" } : null,
  }),
} satisfies LucentModule;

let h: Harness;
let other: Kernel;
const heard: { here: Array<[ChangeEvent, boolean]>; there: Array<[ChangeEvent, boolean]> } = {
  here: [],
  there: [],
};

beforeAll(async () => {
  h = await startHarness({ collections: [Notes], modules: [sharedBus, caller] });
  other = await createKernel({
    db: { adapter: h.kernel.ctx.db },
    dataDir: h.dir,
    typegen: { output: false },
    collections: [Notes],
    modules: [sharedBus, caller],
  });
  h.kernel.ctx.changes.subscribe((event, { local }) => void heard.here.push([event, local]));
  other.ctx.changes.subscribe((event, { local }) => void heard.there.push([event, local]));
});
afterAll(async () => {
  await other.stop();
  await h.close();
});
beforeEach(() => {
  heard.here.length = 0;
  heard.there.length = 0;
});

test("a committed write is heard once on its own instance (local) and once on the other (remote)", async () => {
  const res = await h.json(
    "POST",
    "/api/notes",
    { title: "a" },
    { "x-user": "1", "x-request-id": "req-1" },
  );
  expect(res.status).toBe(201);
  const { id } = (await res.json()) as { id: string };
  // Local subscribers are awaited before the write answers; the bus delivers the rest.
  expect(heard.here).toHaveLength(1);
  await Bun.sleep(10);
  expect(heard.there).toHaveLength(1);
  const [event, local] = heard.here[0]!;
  expect(local).toBe(true);
  expect(heard.there[0]![1]).toBe(false);
  expect(event).toMatchObject({
    collection: "notes",
    operation: "create",
    id,
    doc: { id, title: "a" },
    actor: WRITER,
    requestId: "req-1",
  });
  expect(Date.parse(event.committedAt)).not.toBeNaN();
  expect(heard.there[0]![0]).toEqual(event);
});

test("an update carries the previous document; server code has no actor or request id", async () => {
  const doc = await h.kernel.lucent.create({
    collection: "notes",
    data: { title: "v1" },
    overrideAccess: true,
  });
  heard.here.length = 0;
  heard.there.length = 0;
  await other.lucent.update({
    collection: "notes",
    id: doc.id,
    data: { title: "v2" },
    overrideAccess: true,
  });
  await Bun.sleep(10);
  expect(heard.there).toHaveLength(1);
  expect(heard.here).toHaveLength(1);
  expect(heard.there[0]![1]).toBe(true);
  expect(heard.here[0]![1]).toBe(false);
  expect(heard.here[0]![0]).toMatchObject({
    operation: "update",
    doc: { title: "v2" },
    previousDoc: { title: "v1" },
    actor: null,
    requestId: null,
  });
});

test("a rolled-back write publishes nothing", async () => {
  const res = await h.json("POST", "/api/notes", { title: "boom" });
  expect(res.status).toBe(500);
  await Bun.sleep(10);
  expect(heard.here).toEqual([]);
  expect(heard.there).toEqual([]);
});

test("a subscriber that throws does not fail the write nor silence the others", async () => {
  const stop = h.kernel.ctx.changes.subscribe(() => {
    throw new Error("subscriber broke");
  });
  try {
    const res = await h.json("POST", "/api/notes", { title: "b" });
    expect(res.status).toBe(201);
    expect(heard.here).toHaveLength(1);
  } finally {
    stop();
  }
});
