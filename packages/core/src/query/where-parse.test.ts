/** The where language's checks: operators per kind of field, and the nesting, list and cost limits. */
import { describe, expect, test } from "bun:test";
import { ValidationError } from "../http/errors.ts";
import type { CollectionConfig } from "../schema/collection.ts";
import { resolveCollection } from "../schema/schema.ts";
import { parseWhereWithAccess } from "./access.ts";
import { createQueryContext } from "./query-context.ts";
import { MAX_CONDITIONS, MAX_IN_VALUES, MAX_PATHS, MAX_WHERE_DEPTH } from "./where-parse.ts";

const users: CollectionConfig = {
  slug: "users",
  auth: true,
  fields: { name: { type: "text" }, friend: { type: "relationship", relationTo: "users" } },
};
const items: CollectionConfig = {
  slug: "items",
  fields: {
    title: { type: "text" },
    email: { type: "email" },
    secret: { type: "password" },
    count: { type: "integer" },
    price: { type: "number" },
    done: { type: "boolean" },
    due: { type: "date" },
    kind: { type: "select", options: ["a", "b"] },
    tags: { type: "multiselect", options: ["x", "y"] },
    data: { type: "json" },
    owner: { type: "relationship", relationTo: "users" },
    hidden: { type: "text", access: { read: () => false } },
  },
};
const collections = new Map([users, items].map((c) => [c.slug, resolveCollection(c)]));
const registry = { collections, authSlugs: new Set(["users"]) };
const ctx = () => createQueryContext(registry, {});
const parse = (where: unknown) => parseWhereWithAccess(where, collections.get("items")!, ctx());
const UUID = "01900000-0000-7000-8000-000000000001";

function nest(levels: number): unknown {
  let where: unknown = { title: { eq: "x" } };
  for (let i = 0; i < levels; i++)
    where = { [i % 2 ? "or" : "and"]: [where, { count: { gt: 0 } }] };
  return where;
}

const accepted: Array<[string, unknown]> = [
  [
    "every operator on text",
    { title: { eq: "a", neq: "b", gt: "a", gte: "a", lt: "z", lte: "z", like: "a" } },
  ],
  ["in and nin on text", { title: { in: ["a"], nin: [] } }],
  ["exists on text", { title: { exists: false } }],
  [
    "comparisons on an integer",
    { count: { eq: 1, neq: 2, gt: -5, gte: 0, lt: 2147483647, lte: 3, in: [1, 2], nin: [3] } },
  ],
  ["comparisons on a number", { price: { gt: 1.5, lt: 1e300 } }],
  ["eq and neq on a boolean", { done: { eq: true, neq: false } }],
  ["comparisons on a date", { due: { gt: "2024-01-01", lt: "2024-01-01T10:00:00+02:00" } }],
  ["a select option", { kind: { eq: "a", in: ["a", "b"] } }],
  ["a multiselect set", { tags: { eq: ["x", "y"], in: ["x"], nin: ["y"] } }],
  ["exists on json", { data: { exists: true } }],
  ["a relationship id", { owner: { eq: UUID, in: [UUID] } }],
  ['"me" on a relationship to an auth collection', { owner: { eq: "me" } }],
  ["null with eq and neq", { title: { eq: null }, count: { neq: null } }],
  [
    "system fields",
    { id: { eq: UUID }, createdAt: { gt: "2024-01-01" }, updatedAt: { exists: true } },
  ],
  ["a dotted path through a relationship", { "owner.name": { like: "a" } }],
  ["and/or nested 16 levels deep", nest(MAX_WHERE_DEPTH)],
  [
    "an in list of 1,000 values",
    { count: { in: Array.from({ length: MAX_IN_VALUES }, (_, i) => i) } },
  ],
  ["an empty where", {}],
  [
    "100 conditions",
    { or: Array.from({ length: MAX_CONDITIONS }, (_, i) => ({ count: { eq: i } })) },
  ],
  ["10 different dotted paths", Object.fromEntries(dottedPaths(MAX_PATHS))],
  [
    "the earliest and latest dates",
    { due: { gte: "0100-01-01", lte: "9999-12-31T23:59:59.999Z" } },
  ],
];

/** `n` different dotted paths from items through owner and owner.friend. */
function dottedPaths(n: number): Array<[string, unknown]> {
  const ends = ["id", "createdAt", "updatedAt", "friend"];
  const paths = ["owner", "owner.friend", "owner.friend.friend"].flatMap((via) =>
    ends.map((end) => `${via}.${end}`),
  );
  return paths.slice(0, n).map((path) => [path, { exists: true }]);
}

const rejected: Array<[string, unknown, string]> = [
  ["an unknown field", { nope: { eq: 1 } }, "where.nope"],
  ["a password field", { secret: { eq: "x" } }, "where.secret"],
  ["a field the caller may not read", { hidden: { eq: "x" } }, "where.hidden"],
  ["an unknown operator", { title: { contains: "x" } }, "where.title.contains"],
  ["constructor as an operator", { title: { constructor: 1 } }, "where.title.constructor"],
  ["like on an integer", { count: { like: "1" } }, "where.count.like"],
  ["like on a date", { due: { like: "2024" } }, "where.due.like"],
  ["gt on a boolean", { done: { gt: true } }, "where.done.gt"],
  ["in on a boolean", { done: { in: [true] } }, "where.done.in"],
  ["gt on a relationship", { owner: { gt: UUID } }, "where.owner.gt"],
  ["like on a multiselect", { tags: { like: "x" } }, "where.tags.like"],
  ["eq on json", { data: { eq: {} } }, "where.data.eq"],
  ["a string for an integer", { count: { eq: "1" } }, "where.count.eq"],
  ["a fraction for an integer", { count: { eq: 0.5 } }, "where.count.eq"],
  ["2^31 for an integer", { count: { eq: 2 ** 31 } }, "where.count.eq"],
  ["Infinity for a number", { price: { eq: Number.POSITIVE_INFINITY } }, "where.price.eq"],
  ["a string for a boolean", { done: { eq: "true" } }, "where.done.eq"],
  ["a bad date", { due: { eq: "2024-02-30x" } }, "where.due.eq"],
  ["a select value outside the options", { kind: { eq: "c" } }, "where.kind.eq"],
  ["a multiselect value outside the options", { tags: { in: ["z"] } }, "where.tags.in[0]"],
  ["a bad UUID", { owner: { eq: "nope" } }, "where.owner.eq"],
  ['"me" on a non-relationship', { id: { eq: "me" } }, "where.id.eq"],
  ["a bare value", { title: "x" }, "where.title"],
  ["no operator", { title: {} }, "where.title"],
  ["exists with a string", { title: { exists: "yes" } }, "where.title.exists"],
  ["in with a scalar", { count: { in: 1 } }, "where.count.in"],
  ["null with gt", { count: { gt: null } }, "where.count.gt"],
  ["a NUL byte in a value", { title: { eq: "a\u0000" } }, "where.title.eq"],
  ["and that is not an array", { and: {} }, "where.and"],
  ["or with a non-object", { or: ["x"] }, "where.or[0]"],
  ["a dotted path through a non-relationship", { "title.x": { eq: "x" } }, "where.title.x"],
  ["a dotted path to an unknown field", { "owner.nope": { eq: "x" } }, "where.owner.nope"],
  ["a path of five segments", { "owner.a.b.c.d": { eq: "x" } }, "where.owner.a.b.c.d"],
  ["and/or nested 17 levels deep", nest(MAX_WHERE_DEPTH + 1), "where"],
  [
    "an in list of 1,001 values",
    { count: { in: Array.from({ length: MAX_IN_VALUES + 1 }, (_, i) => i) } },
    "where.count.in",
  ],
  [
    "a nin list of 1,001 values",
    { title: { nin: Array.from({ length: MAX_IN_VALUES + 1 }, () => "a") } },
    "where.title.nin",
  ],
  ["an array as where", [], "where"],
  ["null as where", null, "where"],
];

/** Each of these was a 500, a wrong answer or an unbounded cost before it was a 400. */
const attacks: Array<[string, unknown, string]> = [
  ["constructor as a field", { constructor: { eq: 1 } }, "where.constructor"],
  ["toString as a field", { toString: { eq: 1 } }, "where.toString"],
  ["hasOwnProperty as a field", { hasOwnProperty: { exists: true } }, "where.hasOwnProperty"],
  ["__proto__ as a field", JSON.parse('{"__proto__":{"eq":1}}'), "where.__proto__"],
  [
    "constructor at the end of a dotted path",
    { "owner.constructor": { eq: 1 } },
    "where.owner.constructor",
  ],
  ["valueOf at the end of a dotted path", { "owner.valueOf": { eq: 1 } }, "where.owner.valueOf"],
  ["year 0", { createdAt: { gt: "0000-01-01" } }, "where.createdAt.gt"],
  [
    "a date that is year 10000 in UTC",
    { createdAt: { gt: "9999-12-31T23:59:59.999999999-23:59" } },
    "where.createdAt.gt",
  ],
  ["a year below 100 (read back as 19xx)", { due: { eq: "0099-12-31" } }, "where.due.eq"],
  ["a day the month lacks (rolled into March)", { due: { eq: "2024-02-30" } }, "where.due.eq"],
  [
    "101 conditions",
    { or: Array.from({ length: MAX_CONDITIONS + 1 }, (_, i) => ({ count: { eq: i } })) },
    "where",
  ],
  [
    "101 conditions on one field",
    { and: Array.from({ length: MAX_CONDITIONS + 1 }, () => ({ title: { neq: "x" } })) },
    "where",
  ],
  ["11 different dotted paths", Object.fromEntries(dottedPaths(MAX_PATHS + 1)), "where"],
  [
    "250 OR'd conditions on a two-hop path",
    { or: Array.from({ length: 250 }, (_, i) => ({ "owner.friend.name": { like: `${i}` } })) },
    "where",
  ],
];

describe("parseWhere", () => {
  test.each(attacks)("regression: %s is a 400", async (_name, where, path) => {
    const error = await parse(where).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details![0]!.path).toBe(path);
  });

  test.each(accepted)("accepts %s", async (_name, where) => {
    expect(await parse(where)).toBeDefined();
  });

  test.each(rejected)("rejects %s", async (_name, where, path) => {
    const error = await parse(where).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details![0]!.path.startsWith(path)).toBe(true);
  });

  test('"me" without a signed-in user matches nothing rather than failing', async () => {
    expect(await parse({ owner: { eq: "me" } })).toEqual({ kind: "const", value: false });
    expect(await parse({ owner: { neq: "me" } })).toEqual({ kind: "const", value: true });
  });

  test("emails and UUIDs are compared in lower case", async () => {
    expect(await parse({ email: { eq: "A@B.C" } })).toMatchObject({ value: "a@b.c" });
    expect(await parse({ id: { eq: UUID.toUpperCase() } })).toMatchObject({ value: UUID });
  });
});
