import { afterAll, beforeAll, expect, test } from "bun:test";
import { type Harness, startHarness } from "../../test/harness.ts";
import { defineCollection } from "../index.ts";

const Tasks = defineCollection({
  slug: "tasks",
  access: { create: () => true },
  fields: {
    state: { type: "select", options: ["open", "done"] },
    owner: { type: "text" },
    tags: { type: "multiselect", options: ["a", "b"] },
  },
});

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ collections: [Tasks] });
  const rows = [
    { state: "open", owner: "ann", tags: ["a"] },
    { state: "open", owner: "bob", tags: ["b"] },
    { state: "done", owner: "ann", tags: ["a", "b"] },
    { state: "done", owner: "bob" },
    { state: null, owner: "ann" },
    { state: null, owner: null },
    { state: "open", owner: null, tags: ["a"] },
  ];
  for (const data of rows)
    await h.kernel.lucent.create({ collection: "tasks", data, overrideAccess: true });
});

afterAll(() => h.close());

/** The total must equal the number of documents listed, whatever the shape of the filter. */
test.each([
  [
    "an OR of two overlapping branches",
    { or: [{ state: { eq: "open" } }, { owner: { eq: "ann" } }] },
  ],
  [
    "an OR whose branches test nullable fields",
    { or: [{ state: { neq: "done" } }, { owner: { exists: false } }] },
  ],
  [
    "an OR inside an AND",
    {
      and: [
        { owner: { exists: true } },
        { or: [{ state: { eq: "done" } }, { tags: { in: ["a"] } }] },
      ],
    },
  ],
  [
    "three branches",
    { or: [{ state: { eq: "open" } }, { owner: { eq: "bob" } }, { tags: { eq: ["a", "b"] } }] },
  ],
])("counting %s by disjoint branches gives the true total", async (_name, where) => {
  const page = await h.kernel.lucent.find({ collection: "tasks", where, limit: 100 });
  expect(page.totalDocs).toBe(page.docs.length);
  expect((await h.kernel.lucent.count({ collection: "tasks", where })).totalDocs).toBe(
    page.docs.length,
  );
  expect(page.totalDocs).toBeGreaterThan(0);
});

test("a page past the end still reports the total", async () => {
  const where = { or: [{ state: { eq: "open" } }, { owner: { eq: "ann" } }] };
  const page = await h.kernel.lucent.find({ collection: "tasks", where, limit: 2, page: 9 });
  expect(page.docs).toHaveLength(0);
  expect(page.totalDocs).toBe(5);
});
