/**
 * fast-check generators for the where matcher's property test: documents of
 * a collection with a field of every queryable type, and filters over every
 * operator of every field, drawn from the same small pools so that equality,
 * substring and overlap hit often. Pools hold the awkward values: -0, the
 * shortest doubles, int4 bounds, the first and last dates, case-folded and
 * supplementary characters, `%`, `_` and `\`.
 */
import fc from "fast-check";
import type { Where } from "../src/query/access-types.ts";
import type { CollectionConfig } from "../src/schema/collection.ts";

export const people: CollectionConfig = { slug: "people", fields: { name: { type: "text" } } };

export const things: CollectionConfig = {
  slug: "things",
  fields: {
    title: { type: "text" },
    email: { type: "email" },
    count: { type: "integer" },
    price: { type: "number" },
    done: { type: "boolean" },
    due: { type: "date" },
    kind: { type: "select", options: ["a", "b", "c"] },
    tags: { type: "multiselect", options: ["x", "y", "z"] },
    owner: { type: "relationship", relationTo: "people" },
    friends: { type: "relationship", relationTo: "people", hasMany: true },
    meta: { type: "json" },
    // Only access filters may test it: a caller's where cannot name it.
    secret: { type: "text", access: { read: () => false } },
  },
  // The signed-in caller of a case carries the access filter it is given.
  access: { read: ({ user }) => (user?.filter as Where | undefined) ?? true },
};

/** Case pairs, folding traps (ß, final ς, dotted İ, Kelvin K, Ⓐ which PGlite does not fold), `%`, `_`, a backslash, and code points past U+FFFF. */
const TOKENS = "a|A|b|B|ab|Ab|z| |%|_|\\|é|É|ß|Σ|σ|ς|İ|i|K|𝒜|\uE000|\uFFFD|Ⓐ|ⓐ".split("|");
export const text = (max = 4) =>
  fc.array(fc.constantFrom(...TOKENS), { maxLength: max }).map((t) => t.join(""));
/**
 * A text to compare with: often a document's own text or a piece of it, so
 * that equality and `like` hit; sometimes a lone surrogate, which reaches
 * the database as U+FFFD.
 */
function textValue(texts: readonly string[]): fc.Arbitrary<string> {
  const recase = fc.constantFrom(
    (t: string) => t,
    (t: string) => t.toUpperCase(),
    (t: string) => t.toLowerCase(),
  );
  const piece = fc
    .tuple(fc.constantFrom(...texts), fc.nat(), fc.nat(), recase)
    .map(([t, a, b, change]) => {
      const chars = [...t];
      const from = a % (chars.length + 1);
      return change(chars.slice(from, from + (b % 3) + 1).join(""));
    });
  return fc.oneof(
    { weight: 4, arbitrary: text(3) },
    { weight: 2, arbitrary: fc.constantFrom(...texts) },
    { weight: 4, arbitrary: piece },
    { weight: 1, arbitrary: fc.constant("\uD800") },
  );
}

export const email = fc.constantFrom("a@x.io", "A@x.io", "b@x.io", "ab@y.io");
/** Filter values need not be addresses; `É` folds per database. */
const emailValue = fc.oneof(email, fc.constantFrom("@X.IO", "É@x.io", "a@"));
export const integer = fc.oneof(
  fc.constantFrom(0, 1, -1, 42, 2147483647, -2147483648),
  fc.integer({ min: -2147483648, max: 2147483647 }),
);
export const number = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    1,
    -1,
    0.1,
    0.2,
    0.3,
    0.30000000000000004,
    1.5,
    -1.5,
    1e300,
    -1e-300,
    5e-324,
    2 ** 53,
    2 ** 53 + 2,
    123456.789,
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const EARLIEST = Date.UTC(100, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const iso = (ms: number) => new Date(ms).toISOString();
export const date = fc.oneof(
  fc
    .constantFrom(
      EARLIEST,
      LATEST,
      Date.UTC(2024, 0, 1),
      Date.UTC(2024, 0, 1) + 1,
      Date.UTC(2024, 1, 29, 12),
    )
    .map(iso),
  fc.integer({ min: EARLIEST, max: LATEST }).map(iso),
);
/** The same instants as a client may write them: with an offset, or as a bare day. */
const dateValue = fc.oneof(
  date,
  fc.constantFrom(
    "2024-01-01",
    "2024-01-01T02:00:00+02:00",
    "2024-01-01T00:00:00.001Z",
    "9999-12-31T23:59:59.999Z",
    "0100-01-01",
  ),
);

const subset = <T>(items: readonly T[]) => fc.subarray([...items]);
const orNull = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 5 });

/** A document to create: every field, any of them null. */
export function docArbitrary(personIds: readonly string[]) {
  return fc.record({
    title: orNull(text()),
    email: orNull(email),
    count: orNull(integer),
    price: orNull(number),
    done: orNull(fc.boolean()),
    due: orNull(date),
    kind: orNull(fc.constantFrom("a", "b", "c")),
    tags: orNull(subset(["x", "y", "z"])),
    owner: orNull(fc.constantFrom(...personIds)),
    friends: orNull(subset(personIds)),
    meta: orNull(fc.constantFrom<unknown>(0, false, "", {}, [], { a: 1 })),
    secret: orNull(text()),
  });
}

export interface Pools {
  personIds: readonly string[];
  ids: readonly string[];
  /** The documents' texts (titles, secrets, names), so that equality and `like` hit. */
  texts: readonly string[];
  /** createdAt and updatedAt of the documents, so that ties to the millisecond happen. */
  stamps: readonly string[];
}

type Op = "eq" | "neq" | "gt" | "gte" | "lt" | "lte" | "in" | "nin" | "exists" | "like";
const ORDERED: Op[] = ["eq", "neq", "gt", "gte", "lt", "lte", "in", "nin", "exists"];

/** One field's condition: one or two operators with values of its type. */
function condition(ops: readonly Op[], value: fc.Arbitrary<unknown>, nullable = true) {
  const one = fc.constantFrom(...ops).chain((op): fc.Arbitrary<[Op, unknown]> => {
    if (op === "exists") return fc.boolean().map((v) => [op, v]);
    if (op === "in" || op === "nin") return fc.array(value, { maxLength: 3 }).map((v) => [op, v]);
    if ((op === "eq" || op === "neq") && nullable) return orNull(value).map((v) => [op, v]);
    return value.map((v) => [op, v]);
  });
  return fc
    .uniqueArray(one, { minLength: 1, maxLength: 2, selector: ([op]) => op })
    .map(Object.fromEntries);
}

/** eq/neq take a single value (contains) or a list (the same set). */
function arrayCondition(value: fc.Arbitrary<string>) {
  const list = fc.uniqueArray(value, { maxLength: 3 });
  const one = fc
    .constantFrom<Op>("eq", "neq", "in", "nin", "exists")
    .chain((op): fc.Arbitrary<[Op, unknown]> => {
      if (op === "exists") return fc.boolean().map((v) => [op, v]);
      if (op === "in" || op === "nin") return list.map((v) => [op, v]);
      return fc.oneof(value, list, fc.constant(null)).map((v) => [op, v]);
    });
  return fc
    .uniqueArray(one, { minLength: 1, maxLength: 2, selector: ([op]) => op })
    .map(Object.fromEntries);
}

/** Field conditions; `hidden` adds the field only access filters may test. */
export function leafArbitrary(pools: Pools, hidden: boolean): fc.Arbitrary<Where> {
  const person = fc.constantFrom(...pools.personIds);
  const textual = textValue(pools.texts);
  const stamp = fc
    .constantFrom(...pools.stamps)
    .chain((s) => fc.constantFrom(-1, 0, 0, 1).map((d) => iso(Date.parse(s) + d)));
  const fields: Record<string, fc.Arbitrary<unknown>> = {
    title: condition([...ORDERED, "like"], textual),
    email: condition([...ORDERED, "like"], emailValue),
    count: condition(ORDERED, integer),
    price: condition(ORDERED, number),
    done: condition(["eq", "neq", "exists"], fc.boolean()),
    due: condition(ORDERED, dateValue),
    kind: condition([...ORDERED, "like"], fc.constantFrom("a", "b", "c")),
    tags: arrayCondition(fc.constantFrom("x", "y", "z")),
    owner: condition(["eq", "neq", "in", "nin", "exists"], person),
    friends: arrayCondition(person),
    meta: condition(["exists"], fc.constant(null)),
    id: condition(["eq", "neq", "in", "nin", "exists"], fc.constantFrom(...pools.ids), false),
    createdAt: condition(ORDERED, stamp, false),
    updatedAt: condition(ORDERED, stamp, false),
    "owner.name": condition(["eq", "like", "exists"], textual),
    "friends.name": condition(["eq", "like"], textual),
    ...(hidden ? { secret: condition([...ORDERED, "like"], textual) } : {}),
  };
  const weighted = Object.entries(fields).map(([name, arb]) => ({
    // Dotted paths are undecidable in memory: enough to exercise three-valued logic.
    weight: name.includes(".") ? 1 : 6,
    arbitrary: arb.map((c): Where => ({ [name]: c as Where[string] })),
  }));
  return fc.oneof(...weighted);
}

/** Leaves combined with and/or, nested up to three levels. */
export function whereArbitrary(pools: Pools, hidden: boolean): fc.Arbitrary<Where> {
  const leaf = leafArbitrary(pools, hidden);
  const { node } = fc.letrec<{ node: Where }>((tie) => ({
    node: fc.oneof(
      { depthSize: "small", maxDepth: 3 },
      leaf,
      fc.array(tie("node"), { maxLength: 3 }).map((c): Where => ({ and: c })),
      fc.array(tie("node"), { maxLength: 3 }).map((c): Where => ({ or: c })),
      fc.tuple(leaf, leaf).map(([a, b]): Where => ({ ...a, ...b })),
    ),
  }));
  return node;
}
