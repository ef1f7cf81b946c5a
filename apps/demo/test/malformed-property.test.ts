/**
 * Property tests of CONTRACT §4 and §5: whatever JSON a client throws at
 * `where`, `sort`, `select` or a write body, the answer is never a 5xx, an
 * error is always the envelope, and no refused request changes the data.
 * Requests go through `app.handle` (no sockets), and "unchanged" is checked
 * by a digest of every table, taken before and after each property.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { WHERE_OPERATORS } from "@lucent/core";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import type { TestApp } from "./helpers.ts";
import { isEnvelope, startDemo, TEST_USER, userData } from "./helpers.ts";

/** Cases per property; together above the 2,000 the suite promises per run. */
const RUNS = { where: 2000, bracket: 600, twin: 400, sort: 400, select: 400, body: 1200 };

let app: TestApp;
let postId: string;

beforeAll(async () => {
  // Thousands of requests from one client: the limits are not what is tested here.
  Bun.env.RATE_LIMIT_API = "1000000";
  Bun.env.RATE_LIMIT_AUTH = "1000000";
  app = await startDemo();
  const user = await app.post("/api/users", userData(app.kernel, { name: "Author" }));
  const author = (user.body as { id: string }).id;
  const post = await app.post("/api/posts", {
    title: "Fixture",
    author,
    tags: ["news"],
    views: 3,
    rating: 4.5,
    publishedAt: "2024-01-01T00:00:00Z",
    metadata: { a: [1, "b"] },
  });
  await app.post("/api/comments", { post: (post.body as { id: string }).id, body: "Hi" });
  postId = (post.body as { id: string }).id;
}, 60_000);

afterAll(async () => {
  await app?.close();
});

/** One md5 per table of the schema, over its rows in a stable order. */
async function digest(): Promise<Record<string, string>> {
  const tables = await app.kernel.ctx.db.execute<{ name: string }>(
    sql`select table_name as name from information_schema.tables
        where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1`,
  );
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    const rows = await app.kernel.ctx.db.execute<{ md5: string }>(
      sql`select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as md5 from ${sql.identifier(name)} t`,
    );
    out[name] = rows[0]!.md5;
  }
  return out;
}

// Names: the posts' own fields, paths through relationships, names every
// object inherits, the where combinators, and anything at all.
const FIELDS = [
  "title",
  "slug",
  "body",
  "status",
  "author",
  "tags",
  "views",
  "rating",
  "publishedAt",
  "metadata",
  "cover",
  "id",
  "createdAt",
  "updatedAt",
];
const PATHS = ["author.name", "author.email", "author.role", "author.password", "author.id"];
const INHERITED = ["constructor", "__proto__", "toString", "valueOf", "hasOwnProperty"];
// Known names and operators come most often, so that many cases get past the
// first check and reach SQL.
const name = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...FIELDS, ...PATHS) },
  { weight: 1, arbitrary: fc.constantFrom(...INHERITED, "and", "or", "") },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);
const operator = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(...WHERE_OPERATORS),
  },
  { weight: 1, arbitrary: fc.constantFrom(...INHERITED) },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);
/** Strings that have each broken a parser somewhere. */
const tricky = fc.constantFrom(
  "me",
  "draft",
  "news",
  "0000-01-01",
  "0099-12-31",
  "2024-02-30",
  "9999-12-31T23:59:59.999999999-23:59",
  "275760-09-13",
  "01900000-0000-7000-8000-000000000000",
  "a\u0000b",
  "' or 1=1 --",
  "%_\\",
  "\ud800",
  "1e400",
);
/** Values some field accepts. */
const plausible = fc.constantFrom(
  "Fixture",
  "2024-01-01",
  "2024-01-01T00:00:00+02:00",
  "published",
  "tech",
  true,
  0,
  3,
  4.5,
  -1,
  2 ** 31,
);
const scalar = fc.oneof(
  plausible,
  tricky,
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.oneof(
  scalar,
  fc.array(scalar, { maxLength: 4 }),
  fc.jsonValue({ maxDepth: 3 }),
  // Nesting far past every limit, at a random depth.
  fc.integer({ min: 60, max: 3000 }).map((n) => JSON.parse("[".repeat(n) + "]".repeat(n))),
);

/**
 * JSON text of an object from entries, so that `__proto__` and repeated keys
 * arrive as written (an object literal would swallow them).
 */
const objectText = (entries: ReadonlyArray<readonly [string, string]>) =>
  `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`;
const json = (v: unknown) => JSON.stringify(v) ?? "null";

/** Conditions of the right type for each field, so that many wheres run as SQL. */
const words = fc.oneof(fc.string({ maxLength: 8 }), tricky);
const dates = fc.oneof(
  fc
    .date({ min: new Date("0100-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z") })
    .map((d) => d.toISOString()),
  tricky,
);
const ids = fc.oneof(fc.uuid(), fc.constantFrom("me"), tricky);
const compare = <T>(v: fc.Arbitrary<T>) =>
  fc.oneof(
    fc.tuple(fc.constantFrom("eq", "neq", "gt", "gte", "lt", "lte"), v),
    fc.tuple(fc.constantFrom("in", "nin"), fc.array(v, { maxLength: 3 })),
    fc.tuple(fc.constant("exists"), fc.boolean()),
  );
const options = (...o: string[]) =>
  fc.tuple(fc.constantFrom("eq", "neq", "in", "nin"), fc.subarray(o));
const TYPED: Record<string, fc.Arbitrary<[string, unknown]>> = {
  title: fc.oneof(compare(words), fc.tuple(fc.constant("like"), words)),
  "author.name": fc.tuple(fc.constant("like"), words),
  status: fc.tuple(fc.constantFrom("eq", "neq"), fc.constantFrom("draft", "published", "x")),
  tags: options("news", "tech", "life"),
  views: compare(fc.integer({ min: -10, max: 10 })),
  rating: compare(fc.double({ noNaN: true, noDefaultInfinity: true })),
  publishedAt: compare(dates),
  createdAt: compare(dates),
  id: compare(ids),
  author: compare(ids),
  metadata: fc.tuple(fc.constant("exists"), fc.boolean()),
};
const typed = fc
  .constantFrom(...Object.keys(TYPED))
  .chain((field) =>
    fc
      .array(TYPED[field]!, { minLength: 1, maxLength: 2 })
      .map((ops) => [field, objectText(ops.map(([op, v]) => [op, json(v)]))] as const),
  );

const condition = fc.oneof(
  fc
    .array(fc.tuple(operator, value.map(json)), { maxLength: 3 })
    .map((entries) => objectText(entries)),
  value.map(json),
);
const { where } = fc.letrec<{ where: string }>((tie) => ({
  where: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.array(typed, { maxLength: 3 }).map(objectText),
    fc.array(fc.tuple(name, condition), { maxLength: 4 }).map(objectText),
    fc
      .tuple(fc.constantFrom("and", "or"), fc.array(tie("where"), { maxLength: 3 }))
      .map(([op, children]) => objectText([[op, `[${children.join(",")}]`]])),
    value.map(json),
  ),
}));

/** Bracket-form `where` (CONTRACT §4): names built of known and random segments, random text values. */
const segment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...FIELDS, ...PATHS, ...WHERE_OPERATORS, "and", "or") },
  { weight: 2, arbitrary: fc.constantFrom("0", "1", "2", "01", "-1", "999999999") },
  { weight: 1, arbitrary: fc.constantFrom(...INHERITED, "") },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);
const bracketName = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .array(segment, { minLength: 1, maxLength: 5 })
      .map((s) => `where[${s.join("][")}]`),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }).map((s) => `where[${s}`) },
);
const bracketValue = fc.oneof(
  fc.constantFrom(
    "10",
    "-1",
    "4.5",
    "true",
    "false",
    "me",
    "news",
    "published",
    "2024-01-01",
    "1e400",
    "",
  ),
  tricky,
  fc.string({ unit: "binary", maxLength: 12 }),
);
const bracketQuery = fc.array(fc.tuple(bracketName, bracketValue), { minLength: 1, maxLength: 6 });

/** A `where` object of well-typed conditions, and the same in bracket form. */
const typedObject = fc
  .constantFrom(...Object.keys(TYPED))
  .chain((field) =>
    fc
      .array(TYPED[field]!, { minLength: 1, maxLength: 2 })
      .map((ops) => ({ [field]: Object.fromEntries(ops) }) as Record<string, unknown>),
  );
function bracketsOf(prefix: string, value: unknown): Array<[string, string]> | undefined {
  if (value === null) return undefined;
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    const out: Array<[string, string]> = [];
    for (const [i, v] of value.entries()) {
      const inner = bracketsOf(`${prefix}[${i}]`, v);
      if (!inner) return undefined;
      out.push(...inner);
    }
    return out;
  }
  if (typeof value === "object") {
    const out: Array<[string, string]> = [];
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const inner = bracketsOf(`${prefix}[${k}]`, v);
      if (!inner) return undefined;
      out.push(...inner);
    }
    return out;
  }
  return [[prefix, String(value)]];
}

const sortKey = fc.tuple(fc.boolean(), name).map(([desc, n]) => (desc ? `-${n}` : n));
const list = (item: fc.Arbitrary<string>) =>
  fc.oneof(
    fc.array(item, { minLength: 1, maxLength: 4 }).map((keys) => keys.join(",")),
    fc.string({ unit: "binary", maxLength: 30 }),
  );

/** A caller: the admin every test request signs in as, or nobody. */
const caller = fc.constantFrom<Record<string, string>>({}, { [TEST_USER]: "" });

async function expectSafe(res: Response, what: string): Promise<number> {
  const status = res.status;
  const body = await res.text();
  if (status >= 500 || status === 429) throw new Error(`${status} for ${what}: ${body}`);
  if (status >= 400 && !isEnvelope(JSON.parse(body))) {
    throw new Error(`${status} without the error envelope for ${what}: ${body}`);
  }
  return status;
}

async function unchangedAcross(run: () => Promise<void>): Promise<void> {
  const before = await digest();
  await run();
  expect(await digest()).toEqual(before);
}

const listUrl = (param: string, value: string) =>
  `/api/posts?${new URLSearchParams({ [param]: value })}`;

test("no where is a 5xx, and none changes the data", async () => {
  await unchangedAcross(() =>
    fc.assert(
      fc.asyncProperty(where, caller, async (w, headers) => {
        await expectSafe(await app.fetch(listUrl("where", w), { headers }), `where=${w}`);
      }),
      { numRuns: RUNS.where },
    ),
  );
}, 300_000);

test("no bracket-form where is a 5xx, and none changes the data", async () => {
  await unchangedAcross(() =>
    fc.assert(
      fc.asyncProperty(bracketQuery, caller, async (params, headers) => {
        const query = new URLSearchParams(params).toString();
        await expectSafe(await app.fetch(`/api/posts?${query}`, { headers }), query);
      }),
      { numRuns: RUNS.bracket },
    ),
  );
}, 300_000);

test("a bracket-form where answers as its JSON twin", async () => {
  const ids = async (res: Response) =>
    ((await res.json()) as { docs: Array<{ id: string }> }).docs.map((d) => d.id);
  await fc.assert(
    fc.asyncProperty(typedObject, caller, async (where, headers) => {
      const brackets = bracketsOf("where", where);
      fc.pre(brackets !== undefined);
      const asJson = await app.fetch(listUrl("where", JSON.stringify(where)), { headers });
      fc.pre(asJson.status === 200);
      const query = new URLSearchParams(brackets).toString();
      const asBrackets = await app.fetch(`/api/posts?${query}`, { headers });
      expect(asBrackets.status).toBe(200);
      expect(await ids(asBrackets)).toEqual(await ids(asJson));
    }),
    { numRuns: RUNS.twin },
  );
}, 300_000);

test("no sort is a 5xx", async () => {
  await unchangedAcross(() =>
    fc.assert(
      fc.asyncProperty(list(sortKey), caller, async (s, headers) => {
        await expectSafe(await app.fetch(listUrl("sort", s), { headers }), `sort=${s}`);
      }),
      { numRuns: RUNS.sort },
    ),
  );
}, 300_000);

test("no select is a 5xx, on lists and on documents", async () => {
  await unchangedAcross(() =>
    fc.assert(
      fc.asyncProperty(list(name), fc.boolean(), caller, async (s, one, headers) => {
        const path = one
          ? `/api/posts/${postId}?${new URLSearchParams({ select: s })}`
          : listUrl("select", s);
        await expectSafe(await app.fetch(path, { headers }), `select=${s}`);
      }),
      { numRuns: RUNS.select },
    ),
  );
}, 300_000);

/**
 * Write bodies: random entries plus one key the collection does not have, so
 * every one must be refused, and the data must stay as it was. JSON bodies
 * and multipart `_payload`s, on create and update.
 */
const poison = fc.oneof(
  fc.constantFrom(...INHERITED, "nope", "id", "createdAt"),
  fc.string({ maxLength: 8 }).filter((k) => !FIELDS.includes(k)),
);
const body = fc
  .tuple(fc.array(fc.tuple(name, value.map(json)), { maxLength: 6 }), poison, value.map(json))
  .chain(([entries, key, v]) =>
    fc
      .integer({ min: 0, max: entries.length })
      .map((at) => objectText([...entries.slice(0, at), [key, v], ...entries.slice(at)])),
  );

test("no write body is a 5xx, and a refused one changes nothing", async () => {
  await unchangedAcross(() =>
    fc.assert(
      fc.asyncProperty(
        body,
        fc.constantFrom("create", "update"),
        fc.constantFrom("json", "multipart"),
        caller,
        async (json, mode, encoding, headers) => {
          const path = mode === "create" ? "/api/posts" : `/api/posts/${postId}`;
          const form = new FormData();
          form.set("_payload", json);
          const res = await app.fetch(path, {
            method: mode === "create" ? "POST" : "PATCH",
            headers:
              encoding === "json" ? { ...headers, "content-type": "application/json" } : headers,
            body: encoding === "json" ? json : form,
          });
          const status = await expectSafe(res, `${mode} ${encoding} ${json}`);
          if (status < 400) throw new Error(`${status} for a body with an unknown key: ${json}`);
        },
      ),
      { numRuns: RUNS.body },
    ),
  );
}, 300_000);
