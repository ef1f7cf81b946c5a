/**
 * create, update and delete. Each runs in one transaction with its
 * before-hooks; afterCommit hooks and the change feed run once the
 * outermost transaction has committed, so they never fire for a rollback.
 */
import { sql } from "drizzle-orm";
import { mapWriteError } from "../drivers/db-errors.ts";
import { ValidationError } from "../http/errors.ts";
import { type Engine, getCollection, type Scope } from "../kernel/engine.ts";
import type { CreateArgs, DeleteArgs, UpdateArgs } from "../kernel/local-api-types.ts";
import { assertNotDenied, resolveAccess } from "../query/access.ts";
import type { Doc } from "../query/access-types.ts";
import { createQueryContext } from "../query/query-context.ts";
import { FALSE } from "../query/where-parse.ts";
import { checkId, clampDepth } from "./operations-read.ts";
import { readDocs } from "./read-pipeline.ts";
import { rowToDoc } from "./serialize.ts";
import { documentObjectKeys } from "./upload-values.ts";
import { discardStaged, type StagedUploads } from "./uploads.ts";
import { originOf } from "./write-origin.ts";
import { type ChangeBase, columnValues, isObject, prepareData } from "./write-pipeline.ts";
import {
  afterChange,
  inTransaction,
  lockForWrite,
  NOW_MS,
  queueAfterCommit,
  type StagedArgs,
  stagedFiles,
} from "./write-steps.ts";

export async function create(
  engine: Engine,
  scope: Scope,
  args: CreateArgs<string> & StagedArgs,
): Promise<Doc> {
  const collection = getCollection(engine, args.collection);
  const ctx = createQueryContext(engine.registry, args);
  const depth = clampDepth(args.depth);
  if (!isObject(args.data))
    throw new ValidationError([{ path: "", message: "the body must be a JSON object" }]);
  const access = await resolveAccess(collection, "create", ctx, { data: args.data });
  assertNotDenied(access.kind === "const" ? access : FALSE, ctx, "create", collection.slug);
  let staged: StagedUploads | undefined;
  let taken: ReadonlySet<string> = new Set();
  try {
    staged = await stagedFiles(engine, collection, args, ctx);
    const doc = await inTransaction(engine, scope, ctx, async (tx) => {
      const base: ChangeBase = {
        operation: "create",
        user: ctx.user,
        req: ctx.req,
        origin: originOf(tx, ctx),
        collection: collection.slug,
        lucent: engine.localApi(tx),
      };
      const id = Bun.randomUUIDv7();
      const prepared = await prepareData({
        engine,
        tx,
        collection,
        ctx,
        mode: "create",
        id,
        input: args.data as Record<string, unknown>,
        staged,
        base,
      });
      const data = prepared.data;
      taken = prepared.taken;
      const columns = columnValues(collection, data);
      if (collection.timestamps) columns.push(["created_at", NOW_MS], ["updated_at", NOW_MS]);
      const names = sql.join(
        [sql.identifier("id"), ...columns.map(([c]) => sql.identifier(c))],
        sql`, `,
      );
      const values = sql.join([sql`${id}::uuid`, ...columns.map(([, v]) => v)], sql`, `);
      const [row] = await tx.db.execute(
        sql`insert into ${sql.identifier(collection.table)} (${names}) values (${values}) returning *`,
      );
      const stored = rowToDoc(collection, row!);
      await afterChange(engine, tx, collection, stored, base, data);
      queueAfterCommit(engine, tx, collection, { operation: "create", doc: stored }, ctx);
      const [doc] = await readDocs(engine, tx, collection, [row!], ctx, {
        depth,
        operation: "create",
      });
      return doc!;
    });
    await discardStaged(engine, staged, taken); // files the write did not take (denied fields)
    return doc;
  } catch (error) {
    await discardStaged(engine, staged);
    throw mapWriteError(error, collection, "create");
  }
}

export async function update(
  engine: Engine,
  scope: Scope,
  args: UpdateArgs<string> & StagedArgs,
): Promise<Doc> {
  const collection = getCollection(engine, args.collection);
  const ctx = createQueryContext(engine.registry, args);
  const id = checkId(args.id);
  const depth = clampDepth(args.depth);
  if (!isObject(args.data))
    throw new ValidationError([{ path: "", message: "the body must be a JSON object" }]);
  let staged: StagedUploads | undefined;
  let taken: ReadonlySet<string> = new Set();
  try {
    staged = await stagedFiles(engine, collection, args, ctx);
    const doc = await inTransaction(engine, scope, ctx, async (tx) => {
      const originalRow = await lockForWrite(
        collection,
        tx,
        ctx,
        id,
        "update",
        args.data as Record<string, unknown>,
      );
      const originalDoc = rowToDoc(collection, originalRow);
      const base: ChangeBase = {
        operation: "update",
        originalDoc,
        user: ctx.user,
        req: ctx.req,
        origin: originOf(tx, ctx),
        collection: collection.slug,
        lucent: engine.localApi(tx),
      };
      const prepared = await prepareData({
        engine,
        tx,
        collection,
        ctx,
        mode: "update",
        id,
        input: args.data as Record<string, unknown>,
        staged,
        base,
      });
      const data = prepared.data;
      taken = prepared.taken;
      const sets = columnValues(collection, data).map(([c, v]) => sql`${sql.identifier(c)} = ${v}`);
      if (collection.timestamps) sets.push(sql`updated_at = ${NOW_MS}`);
      const [row] = sets.length
        ? await tx.db.execute(
            sql`update ${sql.identifier(collection.table)} set ${sql.join(sets, sql`, `)} where id = ${id}::uuid returning *`,
          )
        : [originalRow];
      const stored = rowToDoc(collection, row!);
      await afterChange(engine, tx, collection, stored, base, data);
      const replaced = prepared.replaced;
      queueAfterCommit(
        engine,
        tx,
        collection,
        { operation: "update", doc: stored, previousDoc: originalDoc },
        ctx,
        () => engine.storageDelete(replaced),
      );
      const [doc] = await readDocs(engine, tx, collection, [row!], ctx, {
        depth,
        operation: "update",
      });
      return doc!;
    });
    await discardStaged(engine, staged, taken);
    return doc;
  } catch (error) {
    await discardStaged(engine, staged);
    throw mapWriteError(error, collection, "update");
  }
}

export async function remove(engine: Engine, scope: Scope, args: DeleteArgs<string>): Promise<Doc> {
  const collection = getCollection(engine, args.collection);
  const ctx = createQueryContext(engine.registry, args);
  const id = checkId(args.id);
  try {
    return await inTransaction(engine, scope, ctx, async (tx) => {
      const originalRow = await lockForWrite(collection, tx, ctx, id, "delete");
      const doc = rowToDoc(collection, originalRow);
      const base = {
        doc,
        operation: "delete" as const,
        user: ctx.user,
        req: ctx.req,
        origin: originOf(tx, ctx),
        collection: collection.slug,
        lucent: engine.localApi(tx),
      };
      for (const hook of engine.hooks(collection).beforeDelete ?? []) await hook(base);
      await tx.db.execute(
        sql`delete from ${sql.identifier(collection.table)} where id = ${id}::uuid`,
      );
      for (const hook of engine.hooks(collection).afterDelete ?? []) await hook(base);
      const files = documentObjectKeys(collection, doc);
      queueAfterCommit(engine, tx, collection, { operation: "delete", doc }, ctx, () =>
        engine.storageDelete(files),
      );
      const [visible] = await readDocs(engine, tx, collection, [originalRow], ctx, {
        depth: 0,
        operation: "delete",
      });
      return visible!;
    });
  } catch (error) {
    throw mapWriteError(error, collection, "delete");
  }
}
