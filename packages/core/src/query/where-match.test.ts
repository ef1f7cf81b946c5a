/**
 * matchesWhere gives the SQL's answers: random filters over every operator
 * of every field type, parsed by the real parser (access filters included),
 * run as a Local API find and through the matcher for every document of one
 * shared batch. Runs on PGlite, and on Postgres with TEST_DATABASE_URL.
 * WHERE_MATCH_RUNS and WHERE_MATCH_SEED replay or deepen a run.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import fc from "fast-check";
import { type Harness, startHarness } from "../../test/harness.ts";
import {
  docArbitrary,
  type Pools,
  people,
  things,
  whereArbitrary,
} from "../../test/where-arbitraries.ts";
import { ValidationError } from "../http/errors.ts";
import type { Doc, LucentUser, Where } from "./access-types.ts";
import { readableDoc } from "./field-read.ts";
import { readFilter } from "./read-filter.ts";
import { ordersTextByCodePoint } from "./text-match.ts";
import { isDecidableInMemory, type MatchResult, matchesWhere } from "./where-match.ts";
import type { WhereNode } from "./where-parse.ts";

const RUNS = Number(Bun.env.WHERE_MATCH_RUNS ?? 5000);
const SEED = Bun.env.WHERE_MATCH_SEED === undefined ? undefined : Number(Bun.env.WHERE_MATCH_SEED);
const DOCS = 50;

let h: Harness;
let docs: Doc[];
let pools: Pools;
let codePointTextOrder: boolean;

const collections = () => h.kernel.ctx.collections;

function match(where: WhereNode, doc: Record<string, unknown>): MatchResult {
  return matchesWhere({
    collections: collections(),
    collection: "things",
    where,
    doc,
    codePointTextOrder,
  });
}

/** Where the matcher may rightly answer "unknown" (see where-match.ts). */
function mayBeUnknown(node: WhereNode): boolean {
  switch (node.kind) {
    case "const":
      return false;
    case "and":
    case "or":
      return node.children.some(mayBeUnknown);
    case "path":
      return true;
    case "cond":
      return (
        node.op === "like" ||
        node.column === "created_at" ||
        node.column === "updated_at" ||
        !isDecidableInMemory(node, { codePointTextOrder })
      );
  }
}

beforeAll(async () => {
  h = await startHarness({ collections: [people, things] });
  const lucent = h.kernel.lucent;
  const personIds: string[] = [];
  for (const name of ["Ann", "bob", "É", "%", null]) {
    const person = await lucent.create({
      collection: "people",
      data: { name },
      overrideAccess: true,
    });
    personIds.push(person.id);
  }
  const data = fc.sample(docArbitrary(personIds), { numRuns: DOCS, seed: 7 });
  const created: Doc[] = [];
  for (const d of data) {
    created.push(await lucent.create({ collection: "things", data: d, overrideAccess: true }));
  }
  // Some documents change later, so updatedAt differs from createdAt.
  for (const doc of created.slice(0, 10)) {
    await lucent.update({
      collection: "things",
      id: doc.id,
      data: { done: true },
      overrideAccess: true,
    });
  }
  docs = (await lucent.find({ collection: "things", overrideAccess: true, limit: 100 })).docs;
  pools = {
    personIds,
    ids: docs.map((d) => d.id),
    texts: [
      "Ann",
      "bob",
      "É",
      ...docs.flatMap((d) => [d.title, d.secret]).filter((t): t is string => typeof t === "string"),
    ],
    stamps: docs.flatMap((d) => [d.createdAt as string, d.updatedAt as string]),
  };
  codePointTextOrder = await ordersTextByCodePoint(h.kernel.ctx.db);
});

afterAll(() => h.close());

describe("matchesWhere against the SQL", () => {
  test("the test databases order text by code point (collation C or C.UTF-8)", () => {
    expect(codePointTextOrder).toBe(true);
  });

  test(`agrees with the SQL on ${RUNS} random filters over ${DOCS} documents`, async () => {
    const lucent = h.kernel.lucent;
    const tally = { decidedTrue: 0, decidedFalse: 0, unknown: 0, withAccess: 0 };
    const cases = fc.oneof(
      { weight: 4, arbitrary: whereArbitrary(pools, true).map((where) => ({ where })) },
      {
        weight: 1,
        arbitrary: fc.record({
          where: whereArbitrary(pools, false),
          access: whereArbitrary(pools, true),
        }),
      },
    );
    await fc.assert(
      fc.asyncProperty(cases, async ({ where, access }: { where: Where; access?: Where }) => {
        const user: LucentUser = { id: "0190", collection: "people", filter: access };
        const caller = access ? { user } : { overrideAccess: true };
        let tree: WhereNode;
        try {
          tree = await readFilter({
            collections: collections(),
            collection: "things",
            where,
            ...caller,
          });
        } catch (error) {
          // A rare deep tree passes the 100-condition budget: not this test's subject.
          fc.pre(
            !(
              error instanceof ValidationError &&
              /at most 100/.test(error.message + JSON.stringify(error.details))
            ),
          );
          throw error;
        }
        const found = await lucent.find({
          collection: "things",
          where,
          ...caller,
          limit: 100,
          select: [],
        });
        const inSql = new Set(found.docs.map((d) => d.id));
        if (access) tally.withAccess++;
        const unknownAllowed = mayBeUnknown(tree);
        for (const doc of docs) {
          const answer = match(tree, doc);
          if (answer === "unknown") {
            tally.unknown++;
            if (!unknownAllowed) throw new Error(`"unknown" on a decidable tree for ${doc.id}`);
            continue;
          }
          if (answer) tally.decidedTrue++;
          else tally.decidedFalse++;
          if (answer !== inSql.has(doc.id)) {
            throw new Error(
              `matcher says ${answer}, SQL says ${inSql.has(doc.id)} for ${JSON.stringify(doc)}`,
            );
          }
        }
      }),
      { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) },
    );
    console.log(`where-match: ${JSON.stringify(tally)}`);
    const decided = tally.decidedTrue + tally.decidedFalse;
    expect(decided / (decided + tally.unknown)).toBeGreaterThan(0.8);
    expect(tally.decidedTrue).toBeGreaterThan(RUNS);
    expect(tally.withAccess).toBeGreaterThan(RUNS / 10);
  }, 900_000);
});

const PERSON = "01900000-0000-7000-8000-0000000000aa";
const STAMP = "2026-01-02T03:04:05.678Z";
const base: Doc = {
  id: "01900000-0000-7000-8000-000000000001",
  ...Object.fromEntries(Object.keys(things.fields).map((name) => [name, null])),
  createdAt: STAMP,
  updatedAt: STAMP,
};

/** [behaviour, where, document fields, answer] */
const rules: Array<[string, Where, Record<string, unknown>, MatchResult]> = [
  ["neq matches a null value", { kind: { neq: "a" } }, {}, true],
  ["nin matches a null value", { count: { nin: [1] } }, {}, true],
  ["eq null does not match an empty multiselect", { tags: { eq: null } }, { tags: [] }, false],
  ["exists false matches an empty multiselect", { tags: { exists: false } }, { tags: [] }, true],
  ["eq with one value means contains", { tags: { eq: "x" } }, { tags: ["y", "x"] }, true],
  ["eq with a list means the same set", { tags: { eq: ["x", "y"] } }, { tags: ["y", "x"] }, true],
  ["eq with a list is not a subset", { tags: { eq: ["x", "y"] } }, { tags: ["x"] }, false],
  ["in on a hasMany means overlap", { friends: { in: [PERSON] } }, { friends: [PERSON] }, true],
  ["nin on a hasMany means no overlap", { friends: { nin: [PERSON] } }, { friends: [] }, true],
  ["like ignores ASCII case", { title: { like: "AB" } }, { title: "xaby" }, true],
  ["like takes % literally", { title: { like: "a%" } }, { title: "xA%y" }, true],
  ["like takes _ literally", { title: { like: "a_" } }, { title: "xaby" }, false],
  [
    "like on a non-ASCII capital is left to the database",
    { title: { like: "é" } },
    { title: "É" },
    "unknown",
  ],
  ["numbers compare as numbers", { price: { gt: 9 } }, { price: 10 }, true],
  [
    "dates compare as instants",
    { due: { eq: "2024-01-01T02:00:00+02:00" } },
    { due: "2024-01-01T00:00:00.000Z" },
    true,
  ],
  ["a createdAt tie to the millisecond is unknown", { createdAt: { eq: STAMP } }, {}, "unknown"],
  ["a createdAt tie is at or after the instant", { createdAt: { gte: STAMP } }, {}, true],
  ["text orders by code point", { title: { gt: "\uE000" } }, { title: "𝒜" }, true],
  [
    "false and an undecidable path is false",
    { count: { eq: 1 }, "owner.name": { eq: "Ann" } },
    { count: 2, owner: PERSON },
    false,
  ],
  [
    "true or an undecidable path is true",
    { or: [{ count: { eq: 1 } }, { "owner.name": { eq: "Ann" } }] },
    { count: 1, owner: PERSON },
    true,
  ],
  [
    "an undecidable path alone is unknown",
    { "owner.name": { eq: "Ann" } },
    { owner: PERSON },
    "unknown",
  ],
  ["a path through a null relationship is false", { "owner.name": { eq: "Ann" } }, {}, false],
  [
    "a field missing from the document is unknown",
    { count: { eq: 1 } },
    { count: undefined },
    "unknown",
  ],
];

describe("matchesWhere rules", () => {
  const tree = (where: Where) =>
    readFilter({ collections: collections(), collection: "things", where, overrideAccess: true });

  test.each(rules)("%s", async (_name, where, fields, answer) => {
    expect(match(await tree(where), { ...base, ...fields })).toBe(answer);
  });

  test("text ordering is unknown unless the database orders text by code point", async () => {
    const where = await tree({ title: { lt: "b" } });
    const doc = { ...base, title: "a" };
    expect(matchesWhere({ collections: collections(), collection: "things", where, doc })).toBe(
      "unknown",
    );
    expect(isDecidableInMemory(where)).toBe(false);
    expect(isDecidableInMemory(where, { codePointTextOrder: true })).toBe(true);
  });

  test("a tree with a dotted path is not decidable in memory", async () => {
    expect(isDecidableInMemory(await tree({ "owner.name": { eq: "Ann" } }))).toBe(false);
    expect(isDecidableInMemory(await tree({ count: { gt: 1 }, tags: { in: ["x"] } }))).toBe(true);
  });

  test("access filters are part of the tree and may test fields the caller cannot read", async () => {
    const user: LucentUser = { id: PERSON, collection: "people", filter: { secret: { eq: "s" } } };
    const where = await readFilter({
      collections: collections(),
      collection: "things",
      where: { count: { eq: 1 } },
      user,
    });
    expect(match(where, { ...base, count: 1, secret: "s" })).toBe(true);
    expect(match(where, { ...base, count: 1, secret: "t" })).toBe(false);
  });
});

describe("readableDoc", () => {
  const doc = { ...base, title: "t", secret: "s" };

  test("leaves out a field the caller may not read and keeps the stored document whole", async () => {
    const seen = await readableDoc({
      collections: collections(),
      collection: "things",
      doc,
      user: null,
    });
    expect(seen).not.toHaveProperty("secret");
    expect(seen.title).toBe("t");
    expect(doc.secret).toBe("s");
  });

  test("keeps every field with overrideAccess", async () => {
    const seen = await readableDoc({
      collections: collections(),
      collection: "things",
      doc,
      overrideAccess: true,
    });
    expect(seen.secret).toBe("s");
  });
});
