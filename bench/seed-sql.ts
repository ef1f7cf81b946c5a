/**
 * Seeds the demo's tables with plain SQL (`insert … select generate_series`),
 * after Lucent's migrator has created them. Ids are UUIDv7 built from each
 * row's `created_at`, so they sort the way Lucent's own ids do.
 */
import postgres from "postgres";

export interface SeedOptions {
  url: string;
  posts: number;
  authors: number;
}

/** Every column the seed fills, per table; the check below warns about the rest. */
export const SEEDED_COLUMNS: Record<string, readonly string[]> = {
  users: ["id", "name", "role", "created_at", "updated_at"],
  posts: [
    "id",
    "title",
    "slug",
    "body",
    "status",
    "author",
    "tags",
    "views",
    "rating",
    "published_at",
    "metadata",
    "cover",
    "created_at",
    "updated_at",
  ],
  comments: ["id", "post", "author", "body", "created_at", "updated_at"],
};

// A session function: 48 bits of milliseconds, version 7, variant 10, and
// 74 bits from md5(seed) so the same seed always gives the same id.
const UUID7_FUNCTION = `
create function pg_temp.uuid7(ts timestamptz, seed text) returns uuid language sql immutable as $$
  select (
    lpad(to_hex(floor(extract(epoch from ts) * 1000)::bigint), 12, '0')
    || '7' || substr(h, 1, 3)
    || substr('89ab', 1 + get_byte(decode(substr(h, 4, 2), 'hex'), 0) % 4, 1)
    || substr(h, 6, 15)
  )::uuid
  from (select md5(seed) as h) s
$$`;

function seedStatements(posts: number, authors: number): string[] {
  // Posts spread evenly over the past year, the newest a minute ago.
  const stepMs = Math.max(1, Math.floor((365 * 86_400_000) / posts));
  const base = `now() - interval '1 minute' - (${posts} * interval '${stepMs} milliseconds')`;
  const authorIds = "(select array_agg(id order by created_at, id) from users)";
  return [
    `insert into users (id, name, role, created_at, updated_at)
     select pg_temp.uuid7(ts, 'user-' || i), 'Author ' || i,
            (array['admin', 'editor', 'user', 'user'])[1 + i % 4], ts, ts
     from (select i, now() - interval '400 days' + i * interval '1 minute' as ts
           from generate_series(1, ${authors}) i) s`,
    `insert into posts (id, title, slug, body, status, author, tags, views, rating,
                        published_at, metadata, cover, created_at, updated_at)
     select pg_temp.uuid7(ts, 'post-' || i),
            'Post number ' || i,
            'post-number-' || i,
            jsonb_build_object('root', jsonb_build_object('type', 'root', 'children', jsonb_build_array(
              jsonb_build_object('type', 'paragraph', 'text', 'The body of post ' || i || '.')))),
            case when i % 10 < 7 then 'published' else 'draft' end,
            a.ids[1 + i % ${authors}],
            case i % 6
              when 0 then null
              when 1 then array['news']
              when 2 then array['tech']
              when 3 then array['news', 'tech']
              when 4 then array['life']
              else array['news', 'tech', 'life'] end,
            (i * 7919) % 10000,
            case when i % 8 = 0 then null else round(((i * 37) % 51) / 10.0, 1) end,
            case when i % 10 < 7 then ts + interval '1 hour' end,
            jsonb_build_object('wordCount', 100 + i % 900, 'featured', i % 50 = 0),
            case when i % 20 = 0 then jsonb_build_object(
              'key', 'posts/cover-' || i, 'filename', 'cover-' || i || '.jpg',
              'mimeType', 'image/jpeg', 'size', 20000 + i % 5000) end,
            ts,
            case when i % 10 < 7 then ts + interval '1 hour' else ts end
     from (select i, ${base} + i * interval '${stepMs} milliseconds' as ts
           from generate_series(1, ${posts}) i) s,
          (select ${authorIds} as ids) a`,
    `insert into comments (id, post, author, body, created_at, updated_at)
     select pg_temp.uuid7(p.created_at + interval '5 minutes', 'comment-' || p.id),
            p.id, a.ids[1 + p.views % ${authors}], 'A comment on ' || p.title,
            p.created_at + interval '5 minutes', p.created_at + interval '5 minutes'
     from posts p, (select ${authorIds} as ids) a
     where p.views % 10 = 0`,
  ];
}

/** Columns of the demo's tables the seed leaves empty (new fields since it was written). */
async function unseededColumns(sql: postgres.Sql): Promise<string[]> {
  const rows = await sql<{ table_name: string; column_name: string }[]>`
    select table_name, column_name from information_schema.columns
    where table_schema = current_schema() and table_name in ${sql(Object.keys(SEEDED_COLUMNS))}`;
  return rows
    .filter((r) => !SEEDED_COLUMNS[r.table_name]?.includes(r.column_name))
    .map((r) => `${r.table_name}.${r.column_name}`);
}

/** Fills the tables and analyzes them; returns the columns left empty. */
export async function seed(options: SeedOptions): Promise<{ unseeded: string[] }> {
  const sql = postgres(options.url, { max: 1, onnotice: () => {} });
  try {
    // One connection: the pg_temp function lives in its session.
    await sql.unsafe(UUID7_FUNCTION);
    for (const statement of seedStatements(options.posts, options.authors))
      await sql.unsafe(statement);
    await sql.unsafe("vacuum analyze users, posts, comments");
    return { unseeded: await unseededColumns(sql) };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * A spread of published post ids for the get-by-id endpoint: published
 * posts stay readable to anonymous callers under the demo's access rules.
 */
export async function samplePostIds(url: string, count: number): Promise<string[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<
      { id: string }[]
    >`select id from posts where status = 'published' order by md5(id::text) limit ${count}`;
    return rows.map((r) => r.id);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Removes the posts a create run added, so every run starts from the seeded data. */
export async function removeCreatedPosts(url: string): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const result = await sql`delete from posts where slug like 'bench-post-%'`;
    await sql.unsafe("vacuum analyze posts");
    return result.count;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
