/**
 * The steps create, update and delete share: the transaction whose
 * afterCommit work runs once it has committed, the afterChange hooks, the
 * queueing of the change feed, the row lock that checks access, the files
 * staged before a write.
 */
import { sql } from "drizzle-orm";
import { ForbiddenError, NotFoundError } from "../http/errors.ts";
import type { Engine, Scope } from "../kernel/engine.ts";
import { assertNotDenied, resolveAccess } from "../query/access.ts";
import type { Doc, LucentUser } from "../query/access-types.ts";
import type { QueryContext } from "../query/query-context.ts";
import { whereSql } from "../query/where-sql.ts";
import type { ResolvedCollection } from "../schema/schema.ts";
import { type StagedUploads, stageBlobs } from "./uploads.ts";
import { originOf } from "./write-origin.ts";
import type { ChangeBase } from "./write-pipeline.ts";

/**
 * Timestamps as documents show them: to the millisecond. Postgres' `now()`
 * keeps microseconds, so `createdAt eq <the value a client was given>` found
 * nothing and `createdAt gt <the last one seen>` returned it again.
 */
export const NOW_MS = sql`date_trunc('milliseconds', now())`;

/** Runs `fn` in the scope's transaction, or a new one whose afterCommit work runs after it commits. */
export async function inTransaction<T>(
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

export function queueAfterCommit(
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

export async function afterChange(
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
export async function stagedFiles(
  engine: Engine,
  collection: ResolvedCollection,
  args: StagedArgs & { files?: Record<string, Blob> },
  ctx: QueryContext,
): Promise<StagedUploads | undefined> {
  if (args.staged) return args.staged;
  if (!args.files || Object.keys(args.files).length === 0) return undefined;
  return stageBlobs(engine, collection, args.files, ctx.user?.id ?? null);
}

/** Locks the row the caller may read and checks the operation's own access in the same statement. */
export async function lockForWrite(
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
