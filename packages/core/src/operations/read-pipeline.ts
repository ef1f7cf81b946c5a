/**
 * Turns stored rows into what a caller may see: beforeRead hooks, field read
 * access, field afterRead hooks, afterRead hooks, then relationship
 * population and projection. Population runs one query per relationship
 * field per level, whatever the number of documents.
 */
import { sql } from "drizzle-orm";
import type { Row } from "../drivers/drivers.ts";
import type { Engine, Scope } from "../kernel/engine.ts";
import { resolveAccess } from "../query/access.ts";
import type { Doc } from "../query/access-types.ts";
import { removeHiddenFields } from "../query/field-read.ts";
import type { QueryContext } from "../query/query-context.ts";
import { whereSql } from "../query/where-sql.ts";
import type { ResolvedCollection } from "../schema/schema.ts";
import { project, rowToDoc } from "./serialize.ts";
import { originOf } from "./write-origin.ts";

export const MAX_DEPTH = 2;

export interface ReadOptions {
  depth: number;
  select?: readonly string[] | undefined;
  operation?: "read" | "create" | "update" | "delete";
}

/**
 * Upload fields with `signedUrls` answer with a URL that works without
 * credentials until it expires, signed afresh on every read (CONTRACT §11).
 */
async function signFileUrls(engine: Engine, collection: ResolvedCollection, doc: Doc) {
  for (const field of collection.fields) {
    if (field.config.type !== "upload" || !field.config.signedUrls) continue;
    const value = doc[field.name] as { url?: unknown } | null | undefined;
    if (!value || typeof value.url !== "string") continue;
    doc[field.name] = {
      ...value,
      url: await engine.uploads.signer.sign(
        value.url.split("?")[0]!,
        engine.uploads.signedUrlExpiry(field.config),
      ),
    };
  }
}

/** Applies hooks and field access to one document. */
async function afterReadOne(
  engine: Engine,
  scope: Scope,
  collection: ResolvedCollection,
  doc: Doc,
  ctx: QueryContext,
  operation: ReadOptions["operation"],
): Promise<Doc> {
  const hooks = engine.hooks(collection);
  const base = {
    user: ctx.user,
    req: ctx.req,
    origin: originOf(scope, ctx),
    collection: collection.slug,
    operation: operation ?? "read",
  } as const;
  let current = doc;
  if (hooks?.beforeRead?.length) {
    const lucent = engine.localApi(scope);
    for (const hook of hooks.beforeRead)
      current = (await hook({ ...base, doc: current, lucent })) ?? current;
  }
  await removeHiddenFields(collection, current, ctx);
  await signFileUrls(engine, collection, current);
  for (const field of collection.fields) {
    if (!Object.hasOwn(current, field.name)) continue;
    const fieldHooks = field.config.hooks?.afterRead;
    if (fieldHooks?.length) {
      let value = current[field.name];
      for (const hook of fieldHooks) {
        value = await hook({
          value,
          doc: current,
          operation: base.operation,
          user: ctx.user,
          req: ctx.req,
          field: field.name,
        });
      }
      current[field.name] = value;
    }
  }
  if (hooks?.afterRead?.length) {
    const lucent = engine.localApi(scope);
    for (const hook of hooks.afterRead)
      current = (await hook({ ...base, doc: current, lucent })) ?? current;
  }
  return current;
}

/** Rows to visible documents, populated to `depth` and projected. */
export async function readDocs(
  engine: Engine,
  scope: Scope,
  collection: ResolvedCollection,
  rows: readonly Row[],
  ctx: QueryContext,
  options: ReadOptions,
): Promise<Doc[]> {
  const docs: Doc[] = [];
  for (const row of rows) {
    docs.push(
      await afterReadOne(
        engine,
        scope,
        collection,
        rowToDoc(collection, row),
        ctx,
        options.operation,
      ),
    );
  }
  if (options.depth > 0)
    await populate(engine, scope, collection, docs, ctx, options.depth, options.select);
  return options.select ? docs.map((d) => project(d, options.select)) : docs;
}

async function populate(
  engine: Engine,
  scope: Scope,
  collection: ResolvedCollection,
  docs: Doc[],
  ctx: QueryContext,
  depth: number,
  select: readonly string[] | undefined,
): Promise<void> {
  const relations = collection.fields.filter(
    (f) => f.config.type === "relationship" && (!select || select.includes(f.name)),
  );
  await Promise.all(
    relations.map(async (field) => {
      if (field.config.type !== "relationship") return;
      const ids = new Set<string>();
      for (const doc of docs) {
        const value = doc[field.name];
        if (typeof value === "string") ids.add(value);
        else if (Array.isArray(value)) for (const v of value) if (typeof v === "string") ids.add(v);
      }
      if (ids.size === 0) return;
      const target = engine.registry.collections.get(field.config.relationTo)!;
      const access = await resolveAccess(target, "read", ctx);
      const rows = await scope.db.execute(
        sql`select * from ${sql.identifier(target.table)} as t where t.id = any(${sql.param([...ids])}::uuid[]) and ${whereSql(access, "t")}`,
      );
      const related = await readDocs(engine, scope, target, rows, ctx, { depth: depth - 1 });
      const byId = new Map(related.map((d) => [d.id, d]));
      // A related document the caller may not read stays an id.
      for (const doc of docs) {
        const value = doc[field.name];
        if (typeof value === "string") doc[field.name] = byId.get(value) ?? value;
        else if (Array.isArray(value))
          doc[field.name] = value.map((v) => byId.get(v as string) ?? v);
      }
    }),
  );
}
