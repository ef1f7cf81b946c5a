/**
 * The filter a read runs under: the caller's `where` AND the collection's
 * read access, as one tree. Lists, counts and gets compile it to SQL; the
 * realtime module evaluates the same tree in memory (`matchesWhere`).
 */

import { NotFoundError } from "../http/errors.ts";
import type { CallerOptions } from "../kernel/local-api-types.ts";
import type { ResolvedCollection } from "../schema/schema.ts";
import { assertNotDenied, parseWhereWithAccess, resolveAccess } from "./access.ts";
import { createQueryContext, type QueryContext, type Registry } from "./query-context.ts";
import { and, type WhereNode } from "./where-parse.ts";

/** Throws 401/403 when read access denies everything, 400 when `where` is not valid. */
export async function callerReadFilter(
  collection: ResolvedCollection,
  ctx: QueryContext,
  where: unknown,
): Promise<WhereNode> {
  const access = await resolveAccess(collection, "read", ctx);
  assertNotDenied(access, ctx, "read", collection.slug);
  const user = where === undefined ? undefined : await parseWhereWithAccess(where, collection, ctx);
  return user ? and(user, access) : access;
}

export interface ReadFilterOptions extends CallerOptions {
  /** Every collection, as `KernelContext.collections` holds them (dotted paths cross them). */
  collections: ReadonlyMap<string, ResolvedCollection>;
  /** The slug of the collection read. */
  collection: string;
  /** The caller's `where` as received (CONTRACT §4); checked here. */
  where?: unknown;
}

const registries = new WeakMap<ReadonlyMap<string, ResolvedCollection>, Registry>();

function registryOf(collections: ReadonlyMap<string, ResolvedCollection>): Registry {
  let registry = registries.get(collections);
  if (!registry) {
    const authSlugs = new Set(
      [...collections.values()].filter((c) => c.config.auth).map((c) => c.slug),
    );
    registry = { collections, authSlugs };
    registries.set(collections, registry);
  }
  return registry;
}

/**
 * The parsed filter of a read by this caller: what a list would show them,
 * as a tree for `matchesWhere`. Throws like the list route would: 400 for a
 * bad `where`, 401/403 when read access denies everything, 404 for an
 * unknown collection.
 */
export function readFilter(options: ReadFilterOptions): Promise<WhereNode> {
  const collection = options.collections.get(options.collection);
  if (!collection) throw new NotFoundError(`no collection "${options.collection}"`);
  const ctx = createQueryContext(registryOf(options.collections), options);
  return callerReadFilter(collection, ctx, options.where);
}
