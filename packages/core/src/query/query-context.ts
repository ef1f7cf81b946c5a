/** What every operation carries: the caller, the collections, and per-request caches. */

import { fieldTypeOf } from "../schema/field-types/registry.ts";
import type { ResolvedCollection, ResolvedField } from "../schema/schema.ts";
import type { LucentUser } from "./access-types.ts";

export interface Registry {
  collections: ReadonlyMap<string, ResolvedCollection>;
  /** Slugs of auth collections, for `"me"`. */
  authSlugs: ReadonlySet<string>;
}

export interface QueryContext {
  user: LucentUser | null;
  req: Request | null;
  overrideAccess: boolean;
  registry: Registry;
  /** Set while parsing access filters: they may name fields the caller cannot read. */
  trustedFields?: boolean;
  /** Field read access evaluated without a document, per collection and field. */
  fieldReadCache: Map<string, boolean>;
}

export function createQueryContext(
  registry: Registry,
  caller: { user?: LucentUser | null; req?: Request | null; overrideAccess?: boolean },
): QueryContext {
  return {
    user: caller.user ?? null,
    req: caller.req ?? null,
    overrideAccess: caller.overrideAccess === true,
    registry,
    fieldReadCache: new Map(),
  };
}

/**
 * Whether the caller may see a field at all (used by where, sort and select,
 * where there is no document yet). Write-only fields (passwords) never are.
 */
export async function canReadFieldBlind(
  ctx: QueryContext,
  collection: ResolvedCollection,
  field: ResolvedField,
): Promise<boolean> {
  if (fieldTypeOf(field.config).writeOnly) return false;
  const read = field.config.access?.read;
  if (!read || ctx.overrideAccess || ctx.trustedFields) return true;
  const key = `${collection.slug}.${field.name}`;
  const cached = ctx.fieldReadCache.get(key);
  if (cached !== undefined) return cached;
  const allowed = (await read({ user: ctx.user, req: ctx.req })) === true;
  ctx.fieldReadCache.set(key, allowed);
  return allowed;
}
