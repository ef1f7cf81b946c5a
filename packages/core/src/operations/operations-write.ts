/**
 * create, update and delete. Each runs in one transaction with its
 * before-hooks; afterCommit hooks and the change feed run once the
 * outermost transaction has committed, so they never fire for a rollback.
 */
import { sql } from "drizzle-orm";
import { mapWriteError } from "../drivers/db-errors.ts";
import { ForbiddenError, NotFoundError, ValidationError } from "../http/errors.ts";
import { type Engine, getCollection, type Scope } from "../kernel/engine.ts";
import type { CreateArgs, DeleteArgs, UpdateArgs } from "../kernel/local-api-types.ts";
import { assertNotDenied, resolveAccess } from "../query/access.ts";
import type { Doc, LucentUser } from "../query/access-types.ts";
import { createQueryContext, type QueryContext } from "../query/query-context.ts";
import { FALSE } from "../query/where-parse.ts";
import { whereSql } from "../query/where-sql.ts";
import type { ResolvedCollection } from "../schema/schema.ts";
import { checkId, clampDepth } from "./operations-read.ts";
import { readDocs } from "./read-pipeline.ts";
import { rowToDoc } from "./serialize.ts";
import { documentObjectKeys } from "./upload-values.ts";
import { discardStaged, type StagedUploads, stageBlobs } from "./uploads.ts";
import { originOf } from "./write-origin.ts";
import { type ChangeBase, columnValues, isObject, prepareData } from "./write-pipeline.ts";

/**
 * Timestamps as documents show them: to the millisecond. Postgres' `now()`
 * keeps microseconds, so `createdAt eq <the value a client was given>` found
 * nothing and `createdAt gt <the last one seen>` returned it again.
 */
const NOW_MS = sql`date_trunc('milliseconds', now())`;

/** Runs `fn` in the scope's transaction, or a new one whose afterCommit work runs after it commits. */
async function inTransaction<T>(
  engine: Engine,
  scope: Scope,
  ctx: QueryContext,
  fn: (tx: Scope) => Promise<T>,
): Promise<T> {
  if (scope.pending) return fn(scope);
  const pending: Array<() => Promise<void>> = [];
  const origin = originOf(scope, ctx);
  const result = await scope.db.transaction((db) => fn({ db, pending, origin }));
  for (const task of pending) {
    try {
      await task();
    } catch (error) {
      // The write is committed; a failing side effect must not turn it into an error response.
      engine.logger.error({ err: error }, "afterCommit task failed");
    }
  }
  return result;
}

function queueAfterCommit(
  engine: Engine,
  scope: Scope,
  collection: ResolvedCollection,
  event: { operation: "create" | "update" | "delete"; doc: Doc; previousDoc?: Doc },
  caller: { user: LucentUser | null; req: Request | null },
  cleanup?: () => Promise<void>,
) {
  const origin = originOf(scope, caller);
  scope.pending!.push(async () => {
    const committedAt = new Date().toISOString();
    if (cleanup) await cleanup();
    const lucent = engine.localApi({ db: engine.db, pending: null });
    for (const hook of engine.hooks(collection).afterCommit ?? []) {
      await hook({
        doc: event.doc,
        ...(event.previousDoc ? { originalDoc: event.previousDoc } : {}),
        operation: event.operation,
        user: caller.user,
        req: caller.req,
        origin,
        collection: collection.slug,
        lucent,
      });
    }
    await engine.emit({
      collection: collection.slug,
      id: event.doc.id,
      ...event,
      // A write made by another's hooks is the outer caller's doing (WriteOrigin).
      actor: origin.actor?.id ?? null,
      requestId: origin.requestId,
      committedAt,
    });
  });
}

async function afterChange(
  engine: Engine,
  scope: Scope,
  collection: ResolvedCollection,
  doc: Doc,
  base: ChangeBase,
  data: Record<string, unknown>,
): Promise<Doc> {
  let current = doc;
  // Names only: a write-only value (a password hash) is not in `doc` and is not handed out.
  const writtenFields = Object.keys(data);
  for (const hook of engine.hooks(collection).afterChange ?? []) {
    current =
      (await hook({ ...base, doc: current, writtenFields, lucent: engine.localApi(scope) })) ??
      current;
  }
  return current;
}

/** What the REST routes pass besides the Local API's arguments: files they already stored. */
export interface StagedArgs {
  staged?: StagedUploads;
}

/**
 * The files of a write, stored before its transaction: the route's staged
 * stream, or the Local API's Blobs.
 */
async function stagedFiles(
  engine: Engine,
  collection: ResolvedCollection,
  args: StagedArgs & { files?: Record<string, Blob> },
  ctx: QueryContext,
): Promise<StagedUploads | undefined> {
  if (args.staged) return args.staged;
  if (!args.files || Object.keys(args.files).length === 0) return undefined;
  return stageBlobs(engine, collection, args.files, ctx.user?.id ?? null);
}

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

/** Locks the row the caller may read and checks the operation's own access in the same statement. */
async function lockForWrite(
  collection: ResolvedCollection,
  scope: Scope,
  ctx: QueryContext,
  id: string,
  operation: "update" | "delete",
  data?: Record<string, unknown>,
) {
  const read = await resolveAccess(collection, "read", ctx);
  const write = await resolveAccess(collection, operation, ctx, data ? { data } : {});
  assertNotDenied(read, ctx, "read", collection.slug);
  assertNotDenied(write, ctx, operation, collection.slug);
  const rows = await scope.db.execute(
    sql`select t.*, (${whereSql(write, "t")}) as "__allowed" from ${sql.identifier(collection.table)} as t
        where t.id = ${id}::uuid and ${whereSql(read, "t")} for update`,
  );
  const row = rows[0];
  // Hiding wins: a document the caller may not read is a 404 for every operation.
  if (!row) throw new NotFoundError(`no ${collection.slug} with id ${id}`);
  if (row.__allowed !== true)
    throw new ForbiddenError(`you may not ${operation} this ${collection.slug}`);
  delete row.__allowed;
  return row;
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
