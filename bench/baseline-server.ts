/**
 * The hand-written reference: Bun.serve and postgres.js, no framework,
 * serving the demo's four benchmarked post endpoints with the SQL Lucent
 * sends (same text, prepared, same pool size and driver options) and the
 * same JSON. Run by bench/crud.ts:
 *   bun bench/baseline-server.ts --database-url URL --port N [--host H] [--pool N]
 */
import { parseArgs } from "node:util";
import postgres from "postgres";

type Row = Record<string, unknown>;
type Doc = Record<string, unknown>;

const { values: args } = parseArgs({
  options: {
    "database-url": { type: "string" },
    port: { type: "string" },
    host: { type: "string" },
    pool: { type: "string" },
  },
});
if (!args["database-url"] || !args.port) throw new Error("--database-url and --port are required");

const sql = postgres(args["database-url"], {
  max: Number(args.pool ?? 10),
  onnotice: () => {},
  types: {},
});
const PREPARED = { prepare: true } as const;

const LIST = `select t.* from "posts" as t where true order by "t"."created_at" desc, "t"."id" desc limit $1 offset $2`;
const COUNT = `select count(*) as n from "posts" as t where true`;
const BY_ID = `select t.* from "posts" as t where t.id = $1::uuid and true`;
const USERS_BY_IDS = `select * from "users" as t where t.id = any($1::uuid[]) and true`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const iso = (v: unknown): string | null =>
  v == null ? null : (v instanceof Date ? v : new Date(String(v))).toISOString();

function postDoc(r: Row): Doc {
  return {
    id: r.id,
    title: r.title,
    slug: r.slug,
    body: r.body,
    status: r.status,
    author: r.author,
    tags: r.tags,
    views: r.views,
    rating: r.rating == null ? null : Number(r.rating),
    publishedAt: iso(r.published_at),
    metadata: r.metadata,
    cover: r.cover,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

function userDoc(r: Row): Doc {
  return {
    id: r.id,
    name: r.name,
    role: r.role,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

const json = (body: unknown, status = 200) => Response.json(body, { status });
const fail = (status: number, message: string) => json({ error: { message } }, status);

function positiveInt(value: string | null, fallback: number): number | null {
  if (value === null) return fallback;
  return /^[0-9]{1,9}$/.test(value) && Number(value) > 0 ? Number(value) : null;
}

async function withAuthors(docs: Doc[]): Promise<void> {
  const ids = [
    ...new Set(docs.map((d) => d.author).filter((a): a is string => typeof a === "string")),
  ];
  if (ids.length === 0) return;
  const rows = await sql.unsafe<Row[]>(USERS_BY_IDS, [ids], PREPARED);
  const byId = new Map(rows.map((r) => [r.id as string, userDoc(r)]));
  for (const doc of docs)
    if (typeof doc.author === "string") doc.author = byId.get(doc.author) ?? doc.author;
}

async function list(req: Request): Promise<Response> {
  const query = new URL(req.url).searchParams;
  const page = positiveInt(query.get("page"), 1);
  const limit = positiveInt(query.get("limit"), 10);
  const depth = query.get("depth") ?? "0";
  if (page === null || limit === null || !/^[0-9]$/.test(depth)) return fail(400, "bad query");
  const size = Math.min(limit, 100);
  const [rows, total] = await Promise.all([
    sql.unsafe<Row[]>(LIST, [size, (page - 1) * size], PREPARED),
    sql.unsafe<{ n: string }[]>(COUNT, [], PREPARED),
  ]);
  const docs = rows.map(postDoc);
  if (depth !== "0") await withAuthors(docs);
  const totalDocs = Number(total[0]?.n ?? 0);
  const totalPages = Math.ceil(totalDocs / size);
  return json({
    docs,
    totalDocs,
    page,
    limit: size,
    totalPages,
    hasNextPage: page < totalPages,
    hasPrevPage: page > 1,
  });
}

async function getById(id: string): Promise<Response> {
  if (!UUID.test(id)) return fail(404, "not found");
  const rows = await sql.unsafe<Row[]>(BY_ID, [id.toLowerCase()], PREPARED);
  return rows[0] ? json(postDoc(rows[0])) : fail(404, "not found");
}

/** Insert order, column and cast of each writable field, as Lucent writes them. */
const COLUMNS = [
  ["title", "title", "text"],
  ["slug", "slug", "text"],
  ["body", "body", "text::jsonb"],
  ["status", "status", "text"],
  ["tags", "tags", "text[]"],
  ["views", "views", "integer"],
  ["rating", "rating", "numeric"],
  ["metadata", "metadata", "text::jsonb"],
] as const;
const TAGS = new Set(["news", "tech", "life"]);

function validate(data: Record<string, unknown>): string | null {
  for (const key of Object.keys(data))
    if (!COLUMNS.some(([name]) => name === key)) return `unknown field ${key}`;
  if (typeof data.title !== "string" || data.title.length === 0 || data.title.length > 200)
    return "bad title";
  if (data.status !== undefined && data.status !== "draft" && data.status !== "published")
    return "bad status";
  if (
    data.tags !== undefined &&
    !(Array.isArray(data.tags) && data.tags.every((t) => TAGS.has(t)))
  ) {
    return "bad tags";
  }
  const r = data.rating;
  if (r !== undefined && r !== null && !(typeof r === "number" && Number.isFinite(r)))
    return "bad rating";
  return null;
}

async function create(req: Request): Promise<Response> {
  let data: Record<string, unknown>;
  try {
    data = (await req.json()) as Record<string, unknown>;
  } catch {
    return fail(400, "body is not JSON");
  }
  if (typeof data !== "object" || data === null || Array.isArray(data))
    return fail(400, "body must be an object");
  const problem = validate(data);
  if (problem) return fail(400, problem);
  const values: Record<string, unknown> = {
    status: "draft",
    views: 0,
    ...data,
  };
  const present = COLUMNS.filter(([name]) => values[name] !== undefined);
  const params: unknown[] = [Bun.randomUUIDv7()];
  for (const [name, , cast] of present) {
    const v = values[name];
    params.push(
      v === null
        ? null
        : cast === "text::jsonb"
          ? JSON.stringify(v)
          : cast === "numeric"
            ? String(v)
            : v,
    );
  }
  const text = `insert into "posts" ("id", ${present.map(([, c]) => `"${c}"`).join(", ")}) values ($1::uuid, ${present
    .map(([, , cast], i) => `$${i + 2}::${cast}`)
    .join(", ")}) returning *`;
  try {
    const rows = await sql.begin((tx) =>
      tx.unsafe<Row[]>(text, params as postgres.ParameterOrJSON<never>[], PREPARED),
    );
    return json(postDoc(rows[0]!), 201);
  } catch (error) {
    if ((error as { code?: string }).code === "23505") return fail(409, "slug is taken");
    throw error;
  }
}

const server = Bun.serve({
  hostname: args.host ?? "127.0.0.1",
  port: Number(args.port),
  routes: {
    "/api/posts": { GET: list, POST: create },
    "/api/posts/:id": { GET: (req) => getById(req.params.id) },
  },
  fetch: () => fail(404, "no such route"),
  error: (error) => {
    console.error(error);
    return fail(500, "internal error");
  },
});

const stop = async () => {
  await server.stop(true);
  await sql.end({ timeout: 5 });
  process.exit(0);
};
process.once("SIGTERM", () => void stop());
process.once("SIGINT", () => void stop());
console.log(`baseline on http://${server.hostname}:${server.port}/api`);
