/** The list route reads bracket-form `where` by each field's type, as JSON would be read. */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { type Harness, startHarness } from "../../test/harness.ts";
import { defineCollection } from "../index.ts";

const Items = defineCollection({
  slug: "items",
  fields: {
    n: { type: "integer" },
    score: { type: "number" },
    title: { type: "text" },
    done: { type: "boolean" },
    tags: { type: "multiselect", options: ["a", "b", "c"] },
  },
  access: { create: () => true },
});

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ collections: [Items] });
  for (const [n, tags] of [
    [9, ["a"]],
    [10, ["b"]],
    [11, ["a", "c"]],
  ] as const) {
    await h.json("POST", "/api/items", {
      n,
      score: n / 2,
      title: `item ${n}`,
      done: n > 9,
      tags,
    });
  }
});
afterAll(() => h.close());

const titles = async (query: string) => {
  const res = await h.request(`/api/items?sort=n&${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { docs: Array<{ title: string }> }).docs.map((d) => d.title);
};
const json = (where: unknown) => `where=${encodeURIComponent(JSON.stringify(where))}`;

test.each([
  ["an integer compares as a number, not as text", "where[n][gt]=9", { n: { gt: 9 } }],
  ["a number compares as a number", "where[score][lte]=5", { score: { lte: 5 } }],
  ["a boolean", "where[done][eq]=false", { done: { eq: false } }],
  ["exists", "where[title][exists]=true", { title: { exists: true } }],
  ["a list", "where[n][in][0]=9&where[n][in][1]=11", { n: { in: [9, 11] } }],
  ["a multiselect overlap", "where[tags][in][0]=c", { tags: { in: ["c"] } }],
  [
    "an or",
    "where[or][0][n][eq]=9&where[or][1][tags][in][0]=c",
    { or: [{ n: { eq: 9 } }, { tags: { in: ["c"] } }] },
  ],
  ["text stays text", "where[title][eq]=item%2010", { title: { eq: "item 10" } }],
])("%s, as its JSON twin", async (_name, bracket, where) => {
  const expected = await titles(json(where));
  expect(expected.length).toBeGreaterThan(0);
  expect(await titles(bracket)).toEqual(expected);
});

test.each([
  ["an integer that is not one", "where[n][gt]=ten"],
  ["a boolean that is not one", "where[done][eq]=yes"],
  ["exists that is not a boolean", "where[title][exists]=1"],
  ["a value where an object of operators belongs", "where[n]=9"],
  ["a list where a value belongs", "where[n][gt][0]=9"],
])("%s is a 400 in the envelope", async (_name, query) => {
  const res = await h.request(`/api/items?${query}`);
  expect(res.status).toBe(400);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe("VALIDATION_ERROR");
});
