/**
 * What every create and update does to its data, in order: beforeValidate
 * hooks, dropping fields the caller may not write, validation, defaults (on
 * create), files (stored before the transaction, taken here), related ids, field and collection beforeChange hooks, and
 * password hashing.
 */
import { type SQL, sql } from "drizzle-orm";
import { ValidationError } from "../http/errors.ts";
import type { Engine, Scope } from "../kernel/engine.ts";
import { fieldAllowed } from "../query/access.ts";
import type { ChangeHookArgs, Doc } from "../query/access-types.ts";
import type { QueryContext } from "../query/query-context.ts";
import type { ResolvedCollection } from "../schema/schema.ts";
import { validateBody } from "./body-schema.ts";
import { valueToSql } from "./serialize.ts";
import { applyUploads, type StagedUploads } from "./uploads.ts";

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Drops fields whose create/update access denies the caller (CONTRACT §6). */
async function dropDeniedFields(
  collection: ResolvedCollection,
  data: Record<string, unknown>,
  operation: "create" | "update",
  ctx: QueryContext,
  originalDoc: Doc | undefined,
): Promise<Record<string, unknown>> {
  const out = { ...data };
  for (const field of collection.fields) {
    if (!Object.hasOwn(out, field.name) || !field.config.access?.[operation]) continue;
    const allowed = await fieldAllowed(collection, field.name, operation, ctx, {
      data,
      ...(originalDoc ? { doc: originalDoc } : {}),
    });
    if (!allowed) delete out[field.name];
  }
  return out;
}

async function applyDefaults(
  collection: ResolvedCollection,
  data: Record<string, unknown>,
): Promise<void> {
  for (const field of collection.fields) {
    if (Object.hasOwn(data, field.name) && data[field.name] !== undefined) continue;
    if (field.config.defaultValue === undefined) continue;
    const d = field.config.defaultValue;
    data[field.name] = typeof d === "function" ? await d() : structuredClone(d);
  }
}

/** Passwords are stored as argon2id hashes; the plain value never leaves this function. */
async function hashPasswords(
  collection: ResolvedCollection,
  data: Record<string, unknown>,
): Promise<void> {
  for (const field of collection.fields) {
    const value = data[field.name];
    if (field.config.type === "password" && typeof value === "string") {
      data[field.name] = await Bun.password.hash(value, { algorithm: "argon2id" });
    }
  }
}

/** hasMany relationships have no foreign key; their ids are checked here. */
async function checkManyRelations(
  engine: Engine,
  scope: Scope,
  collection: ResolvedCollection,
  data: Record<string, unknown>,
) {
  for (const field of collection.fields) {
    if (field.config.type !== "relationship" || !field.config.hasMany) continue;
    const ids = data[field.name];
    if (!Array.isArray(ids) || ids.length === 0) continue;
    const unique = [...new Set(ids as string[])];
    const target = engine.registry.collections.get(field.config.relationTo)!;
    const rows = await scope.db.execute<{ n: number | string }>(
      sql`select count(*) as n from ${sql.identifier(target.table)} where id = any(${sql.param(unique)}::uuid[])`,
    );
    if (Number(rows[0]?.n) !== unique.length) {
      throw new ValidationError([
        { path: field.name, message: "a related document does not exist" },
      ]);
    }
    data[field.name] = unique;
  }
}

export type ChangeBase = Omit<ChangeHookArgs, "data">;

async function runChangeHooks(
  engine: Engine,
  collection: ResolvedCollection,
  name: "beforeValidate" | "beforeChange",
  data: Record<string, unknown>,
  base: ChangeBase,
): Promise<Record<string, unknown>> {
  let current = data;
  for (const hook of engine.hooks(collection)[name] ?? []) {
    const next = await hook({ ...base, data: current });
    if (next !== undefined) {
      if (!isObject(next)) throw new Error(`${collection.slug} ${name} hook returned a non-object`);
      current = next;
    }
  }
  return current;
}

async function runFieldBeforeChange(
  collection: ResolvedCollection,
  data: Record<string, unknown>,
  base: ChangeBase,
): Promise<void> {
  for (const field of collection.fields) {
    const hooks = field.config.hooks?.beforeChange;
    if (!hooks?.length || !Object.hasOwn(data, field.name)) continue;
    let value = data[field.name];
    for (const hook of hooks) {
      value = await hook({
        value,
        data,
        ...(base.originalDoc ? { originalDoc: base.originalDoc } : {}),
        operation: base.operation,
        user: base.user,
        req: base.req,
        field: field.name,
      });
    }
    data[field.name] = value;
  }
}

export function columnValues(
  collection: ResolvedCollection,
  data: Record<string, unknown>,
): Array<[string, SQL]> {
  const out: Array<[string, SQL]> = [];
  for (const field of collection.fields) {
    if (Object.hasOwn(data, field.name)) {
      out.push([field.column, valueToSql(field, data[field.name])]);
    }
  }
  return out;
}

export interface PrepareInput {
  engine: Engine;
  tx: Scope;
  collection: ResolvedCollection;
  ctx: QueryContext;
  mode: "create" | "update";
  id: string;
  input: Record<string, unknown>;
  /** Files stored before the transaction (uploads.ts), taken by this write. */
  staged: StagedUploads | undefined;
  base: ChangeBase;
}

export interface PreparedData {
  data: Record<string, unknown>;
  /** Upload keys this write took (staged files, claimed direct/tus uploads). */
  taken: ReadonlySet<string>;
  /** Stored objects this write replaces or clears, removed after commit. */
  replaced: readonly string[];
}

export async function prepareData(p: PrepareInput): Promise<PreparedData> {
  const { collection, mode, base } = p;
  let data = await runChangeHooks(p.engine, collection, "beforeValidate", p.input, base);
  data = await dropDeniedFields(collection, data, mode, p.ctx, base.originalDoc);
  data = validateBody(collection, mode, data);
  if (mode === "create") await applyDefaults(collection, data);
  const { taken, replaced } = await applyUploads({
    engine: p.engine,
    tx: p.tx,
    collection,
    ctx: p.ctx,
    id: p.id,
    mode,
    data,
    staged: p.staged,
    originalDoc: base.originalDoc,
  });
  await checkManyRelations(p.engine, p.tx, collection, data);
  await runFieldBeforeChange(collection, data, base);
  data = await runChangeHooks(p.engine, collection, "beforeChange", data, base);
  await hashPasswords(collection, data);
  return { data, taken, replaced };
}
