/**
 * The startup migrator across restarts (CONTRACT §13): additive changes are
 * applied, destructive ones reported and applied only with `dropOrphaned`,
 * type changes never. One database per file; each "restart" is a new kernel
 * on the same adapter, so an in-memory PGlite keeps its data.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestDatabase } from "@lucent/test-utils";
import { createTestDatabase } from "@lucent/test-utils";
import { sql } from "drizzle-orm";
import { createDatabase } from "../drivers/db-adapter.ts";
import type { DatabaseAdapter } from "../drivers/drivers.ts";
import { createKernel, type Kernel } from "../kernel/kernel-create.ts";
import { createLogger } from "../kernel/logger.ts";
import type { CollectionConfig } from "./collection.ts";
import type { FieldConfig } from "./fields.ts";
import { type MigrateResult, migrate, planToSql } from "./migrate.ts";

let testDb: TestDatabase;
let db: DatabaseAdapter;
let dataDir: string;
const logger = createLogger({ level: "silent" });
const open = { read: () => true, create: () => true, update: () => true, delete: () => true };

/** The collections the next start is configured with, by slug. */
const world = new Map<string, Record<string, FieldConfig>>();

function collections(): CollectionConfig[] {
  return [...world].map(([slug, fields]) => ({ slug, fields, access: open }));
}

async function kernelFor(
  options: { dropOrphaned?: boolean; auto?: boolean } = {},
): Promise<Kernel> {
  return createKernel({
    db: { adapter: db },
    dataDir,
    logger,
    typegen: { output: false },
    collections: collections(),
    migrations: { auto: options.auto ?? true, dropOrphaned: options.dropOrphaned ?? false },
  });
}

/** Starts, migrates and stops, as a process restart would. */
async function restart(options: { dropOrphaned?: boolean } = {}): Promise<MigrateResult> {
  const kernel = await kernelFor(options);
  await kernel.stop();
  return kernel.migration!;
}

async function columns(
  table: string,
): Promise<Record<string, { type: string; nullable: boolean }>> {
  const rows = await db.execute<{ column_name: string; data_type: string; is_nullable: string }>(
    sql`select column_name, data_type, is_nullable from information_schema.columns
        where table_schema = current_schema() and table_name = ${table} order by ordinal_position`,
  );
  return Object.fromEntries(
    rows.map((r) => [r.column_name, { type: r.data_type, nullable: r.is_nullable === "YES" }]),
  );
}

async function historyCount(): Promise<number> {
  const [row] = await db.execute<{ n: number | string }>(
    sql`select count(*) as n from lucent_migrations`,
  );
  return Number(row!.n);
}

async function rows(table: string): Promise<Record<string, unknown>[]> {
  return db.execute(sql`select * from ${sql.identifier(table)} order by id`);
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), "lucent-migrate-test-"));
  db = await createDatabase({ url: testDb.url, dataDir });
  world.set("authors", { name: { type: "text", required: true } });
  world.set("books", {
    title: { type: "text", required: true },
    author: { type: "relationship", relationTo: "authors" },
    editor: { type: "relationship", relationTo: "authors", required: true },
    series: { type: "relationship", relationTo: "authors", onDelete: "cascade" },
    coauthors: { type: "relationship", relationTo: "authors", hasMany: true },
  });
}, 30_000);

afterAll(async () => {
  await db?.close();
  await testDb?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe("startup migrations", () => {
  test("a first start creates every table and records one migration", async () => {
    const result = await restart();
    expect(result.destructive).toEqual([]);
    expect(result.applied.filter((s) => s.startsWith("create table"))).toEqual([
      expect.stringContaining('create table "authors"'),
      expect.stringContaining('create table "books"'),
    ]);
    expect(Object.keys(await columns("books"))).toEqual([
      "id",
      "title",
      "author",
      "editor",
      "series",
      "coauthors",
      "created_at",
      "updated_at",
    ]);
    expect(await historyCount()).toBe(1);
  });

  test("starting again with the same config is a no-op", async () => {
    const result = await restart();
    expect({
      statements: result.statements,
      applied: result.applied,
      destructive: result.destructive,
    }).toEqual({
      statements: [],
      applied: [],
      destructive: [],
    });
    expect(await historyCount()).toBe(1);
  });

  test("single relationships get foreign keys with the right on delete; hasMany gets none", async () => {
    const fks = await db.execute<{ conname: string; confdeltype: string }>(
      sql`select conname, confdeltype from pg_constraint where conrelid = 'books'::regclass and contype = 'f' order by conname`,
    );
    expect(fks).toEqual([
      { conname: "books_author_fkey", confdeltype: "n" },
      { conname: "books_editor_fkey", confdeltype: "r" },
      { conname: "books_series_fkey", confdeltype: "c" },
    ]);
  });

  test("adding a field adds the column and keeps every row", async () => {
    const kernel = await kernelFor();
    const ada = await kernel.lucent.create({
      collection: "authors",
      data: { name: "Ada" },
      overrideAccess: true,
    });
    for (const title of ["One", "Two", "Three"]) {
      await kernel.lucent.create({
        collection: "books",
        data: { title, editor: ada.id },
        overrideAccess: true,
      });
    }
    await kernel.stop();
    const before = await rows("books");

    world.set("books", { ...world.get("books")!, pages: { type: "integer" } });
    const result = await restart();
    expect(result.applied).toEqual(['alter table "books" add column "pages" integer']);
    expect((await columns("books")).pages).toEqual({ type: "integer", nullable: true });
    expect(await rows("books")).toEqual(before.map((r) => ({ ...r, pages: null })));
    expect(await historyCount()).toBe(2);
  });

  test("adding a required field to a table with rows works: the column is nullable", async () => {
    world.set("books", { ...world.get("books")!, isbn: { type: "text", required: true } });
    const result = await restart();
    expect(result.applied).toEqual(['alter table "books" add column "isbn" text']);
    expect((await columns("books")).isbn).toEqual({ type: "text", nullable: true });
    expect((await rows("books")).length).toBe(3);
  });

  test("removing a field is reported, not applied, and its data stays", async () => {
    await db.execute(sql`update books set pages = 100`);
    const { pages: _removed, ...rest } = world.get("books")!;
    world.set("books", rest);
    const result = await restart();
    expect(result.applied).toEqual([]);
    expect(result.destructive).toEqual([
      {
        kind: "drop-column",
        table: "books",
        column: "pages",
        message: expect.stringContaining("books.pages"),
        sql: 'alter table "books" drop column "pages"',
      },
    ]);
    expect((await rows("books")).map((r) => r.pages)).toEqual([100, 100, 100]);
    expect(await historyCount()).toBe(3);
  });

  test("a dry run prints the SQL and changes nothing", async () => {
    world.set("books", { ...world.get("books")!, subtitle: { type: "text" } });
    const kernel = await kernelFor({ auto: false });
    const plan = await migrate({ db, specs: kernel.tableSpecs, dryRun: true });
    await kernel.stop();
    const text = planToSql(plan);
    expect(text).toContain('alter table "books" add column "subtitle" text;');
    expect(text).toContain(
      '-- not applied: books.pages has no field in the config (dropOrphaned: true applies: alter table "books" drop column "pages")',
    );
    expect(planToSql(plan, true)).toContain('alter table "books" drop column "pages";');
    expect(plan.applied).toEqual([]);
    expect(await columns("books")).not.toHaveProperty("subtitle");
    expect(await columns("books")).toHaveProperty("pages");
    expect(await historyCount()).toBe(3);
    world.set("books", (({ subtitle: _s, ...f }) => f)(world.get("books")!));
  });

  test("dropOrphaned: true applies the drop", async () => {
    const result = await restart({ dropOrphaned: true });
    expect(result.applied).toEqual(['alter table "books" drop column "pages"']);
    expect(await columns("books")).not.toHaveProperty("pages");
    expect((await rows("books")).length).toBe(3);
    expect(await historyCount()).toBe(4);
  });

  test("a type change is reported and never applied, even with dropOrphaned", async () => {
    const books = world.get("books")!;
    world.set("books", { ...books, isbn: { type: "integer" } });
    for (const dropOrphaned of [false, true]) {
      const result = await restart({ dropOrphaned });
      expect(result.applied).toEqual([]);
      expect(result.destructive).toEqual([
        {
          kind: "type-change",
          table: "books",
          column: "isbn",
          message:
            "books.isbn is text in the database but integer in the config; change it by hand",
        },
      ]);
    }
    expect((await columns("books")).isbn).toEqual({ type: "text", nullable: true });
    expect(await historyCount()).toBe(4);
    world.set("books", books);
  });

  test("a removed collection is reported as a table drop and applied only with dropOrphaned", async () => {
    world.set("drafts", { note: { type: "text" } });
    await restart();
    await db.execute(sql`insert into drafts (id, note) values (gen_random_uuid(), 'keep me')`);
    world.delete("drafts");

    const reported = await restart();
    expect(reported.applied).toEqual([]);
    expect(reported.destructive).toEqual([
      {
        kind: "drop-table",
        table: "drafts",
        message: expect.any(String),
        sql: 'drop table "drafts" cascade',
      },
    ]);
    expect((await rows("drafts")).map((r) => r.note)).toEqual(["keep me"]);

    const dropped = await restart({ dropOrphaned: true });
    expect(dropped.applied).toEqual(['drop table "drafts" cascade']);
    expect(await columns("drafts")).toEqual({});
    expect((await restart()).destructive).toEqual([]);
  });

  test("deleting a related document follows each foreign key's rule", async () => {
    const kernel = await kernelFor();
    const as = { overrideAccess: true } as const;
    try {
      const keep = await kernel.lucent.create({
        collection: "authors",
        data: { name: "Keep" },
        ...as,
      });
      const gone = await kernel.lucent.create({
        collection: "authors",
        data: { name: "Gone" },
        ...as,
      });
      const book = await kernel.lucent.create({
        collection: "books",
        data: { title: "Nulls", isbn: "1", editor: keep.id, author: gone.id },
        ...as,
      });
      const series = await kernel.lucent.create({
        collection: "books",
        data: { title: "Series", isbn: "2", editor: keep.id, series: gone.id },
        ...as,
      });
      await kernel.lucent.delete({ collection: "authors", id: gone.id, ...as });
      expect(
        (await kernel.lucent.findById({ collection: "books", id: book.id, ...as })).author,
      ).toBeNull();
      await expect(
        kernel.lucent.findById({ collection: "books", id: series.id, ...as }),
      ).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(
        kernel.lucent.delete({ collection: "authors", id: keep.id, ...as }),
      ).rejects.toMatchObject({
        code: "CONFLICT",
      });
    } finally {
      await kernel.stop();
    }
  });
});
