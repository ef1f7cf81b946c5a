import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase } from "@lucent/test-utils";
import { type SQL, sql } from "drizzle-orm";
import type { DatabaseAdapter } from "../drivers/drivers.ts";
import {
  createDatabase,
  defineCollection,
  defineLucentConfig,
  getLucent,
  type LocalApi,
} from "../index.ts";

/** Counts the statements sent through an adapter and its transactions. */
function counting(inner: DatabaseAdapter, log: string[]): DatabaseAdapter {
  return {
    kind: inner.kind,
    get drizzle() {
      return inner.drizzle;
    },
    inTransaction: inner.inTransaction,
    execute<T extends Record<string, unknown>>(query: SQL) {
      log.push(inner.kind);
      return inner.execute<T>(query);
    },
    transaction: (fn) => inner.transaction((tx) => fn(counting(tx, log))),
    close: () => inner.close(),
  };
}

const Posts = defineCollection({
  slug: "posts",
  fields: { title: { type: "text" }, status: { type: "select", options: ["draft", "published"] } },
});
const Comments = defineCollection({
  slug: "comments",
  fields: { post: { type: "relationship", relationTo: "posts" }, body: { type: "text" } },
  // Readable when the post is published: a filter through a relationship path.
  access: { read: () => ({ "post.status": { eq: "published" } }) },
});

let db: TestDatabase;
let dir: string;
let adapter: DatabaseAdapter;
let local: LocalApi;
const statements: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), "lucent-access-scale-"));
  adapter = await createDatabase({ url: db.url, dataDir: dir });
  local = await getLucent(
    defineLucentConfig({
      db: { adapter: counting(adapter, statements) },
      dataDir: dir,
      collections: [Posts, Comments],
      typegen: { output: false },
    }),
  );
  // 100 posts, every other one published; 10,000 comments spread over them.
  await adapter.execute(sql`insert into posts (id, title, status)
    select gen_random_uuid(), 'post ' || i, case when i % 2 = 0 then 'published' else 'draft' end
    from generate_series(1, 100) as i`);
  await adapter.execute(sql`insert into comments (id, post, body, created_at)
    select gen_random_uuid(), p.id, 'comment ' || c, now() - (c || ' seconds')::interval
    from generate_series(1, 10000) as c
    join (select id, row_number() over (order by title) as n from posts) p on p.n = (c % 100) + 1`);
});

afterAll(async () => {
  await local.close();
  await adapter.close();
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

describe("an access filter through a relationship path", () => {
  test("lists 10,000 documents with one SQL statement, counting only what it may show", async () => {
    statements.length = 0;
    const page = await local.find({ collection: "comments", limit: 100 });
    expect(statements).toHaveLength(1);
    expect(page.totalDocs).toBe(5000);
    expect(page.docs).toHaveLength(100);
    const postIds = [...new Set(page.docs.map((d) => d.post as string))];
    const posts = await local.find({
      collection: "posts",
      where: { id: { in: postIds } },
      limit: 100,
    });
    expect(posts.docs.every((p) => p.status === "published")).toBe(true);
  });

  test("a get of a hidden document is a 404 from a single statement", async () => {
    const [hidden] = await adapter.execute<{ id: string }>(
      sql`select c.id from comments c join posts p on p.id = c.post where p.status = 'draft' limit 1`,
    );
    statements.length = 0;
    await expect(local.findById({ collection: "comments", id: hidden!.id })).rejects.toThrow(
      "no comments with id",
    );
    expect(statements).toHaveLength(1);
  });

  test("the same filter combines with the caller's own where in that one statement", async () => {
    statements.length = 0;
    const page = await local.find({
      collection: "comments",
      where: { body: { like: "comment 10" } },
      limit: 5,
    });
    expect(statements).toHaveLength(1);
    // comment 10, 100..109, 1000..1099, 10000: those on published posts only.
    expect(page.totalDocs).toBeGreaterThan(0);
    expect(page.totalDocs).toBeLessThan(112);
  });
});
