/** Writes through the Local API, on PGlite and on postgres.js: regressions found by the e2e suites. */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestDatabase } from "@lucent/test-utils";
import { createTestDatabase } from "@lucent/test-utils";
import { sql } from "drizzle-orm";
import { createKernel, type Kernel } from "../kernel/kernel-create.ts";
import { createLogger } from "../kernel/logger.ts";

let testDb: TestDatabase;
let kernel: Kernel;
let dataDir: string;
const as = { overrideAccess: true } as const;

beforeAll(async () => {
  testDb = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), "lucent-write-test-"));
  kernel = await createKernel({
    db: { url: testDb.url },
    dataDir,
    logger: createLogger({ level: "silent" }),
    typegen: { output: false },
    collections: [
      { slug: "people", fields: { name: { type: "text" } } },
      {
        slug: "notes",
        fields: {
          owner: { type: "relationship", relationTo: "people", required: true },
          data: { type: "json" },
          body: { type: "richtext" },
          items: { type: "array", fields: { label: { type: "text" } } },
        },
      },
    ],
  });
}, 30_000);

afterAll(async () => {
  await kernel?.stop();
  await testDb?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test("regression: json values are stored as JSON values on postgres.js, not as JSON strings", async () => {
  const owner = await kernel.lucent.create({ collection: "people", data: { name: "Ada" }, ...as });
  const note = await kernel.lucent.create({
    collection: "notes",
    data: {
      owner: owner.id,
      data: { a: [1, "two"] },
      body: { type: "doc" },
      items: [{ label: "x" }],
    },
    ...as,
  });
  const [stored] = await kernel.lucent.db.execute(
    sql`select jsonb_typeof(data) as data, jsonb_typeof(body) as body, jsonb_typeof(items) as items from notes where id = ${note.id}::uuid`,
  );
  expect(stored).toEqual({ data: "object", body: "object", items: "array" });
  const read = await kernel.lucent.findById({ collection: "notes", id: note.id, ...as });
  expect({ data: read.data, body: read.body, items: read.items }).toEqual({
    data: { a: [1, "two"] },
    body: { type: "doc" },
    items: [{ label: "x" }],
  });
  const updated = await kernel.lucent.update({
    collection: "notes",
    id: note.id,
    data: { data: [true] },
    ...as,
  });
  expect(updated.data).toEqual([true]);
});

test("regression: deleting a document a required (on delete restrict) relationship points to is a 409, not a 500", async () => {
  const owner = await kernel.lucent.create({
    collection: "people",
    data: { name: "Grace" },
    ...as,
  });
  await kernel.lucent.create({ collection: "notes", data: { owner: owner.id }, ...as });
  await expect(
    kernel.lucent.delete({ collection: "people", id: owner.id, ...as }),
  ).rejects.toMatchObject({
    code: "CONFLICT",
    status: 409,
  });
  expect((await kernel.lucent.findById({ collection: "people", id: owner.id, ...as })).name).toBe(
    "Grace",
  );
});

test("regression: createdAt and updatedAt as returned find their document again (eq), and gt excludes it", async () => {
  // Postgres keeps microseconds; documents show milliseconds. Stored microseconds made the
  // returned value match nothing with eq and match the document itself with gt.
  const person = await kernel.lucent.create({ collection: "people", data: { name: "Lin" }, ...as });
  for (const [field, value] of [
    ["createdAt", person.createdAt],
    ["updatedAt", person.updatedAt],
  ] as const) {
    const same = await kernel.lucent.find({
      collection: "people",
      where: { id: { eq: person.id }, [field]: { eq: value } },
      ...as,
    });
    expect(same.totalDocs).toBe(1);
    const later = await kernel.lucent.find({
      collection: "people",
      where: { id: { eq: person.id }, [field]: { gt: value } },
      ...as,
    });
    expect(later.totalDocs).toBe(0);
  }
  const updated = await kernel.lucent.update({
    collection: "people",
    id: person.id,
    data: { name: "Lin B" },
    ...as,
  });
  const found = await kernel.lucent.find({
    collection: "people",
    where: { updatedAt: { eq: updated.updatedAt } },
    ...as,
  });
  expect(found.docs.map((d) => d.id)).toContain(person.id);
});
