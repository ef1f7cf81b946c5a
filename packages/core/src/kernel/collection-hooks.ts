/**
 * A collection's hooks with the installed modules' around them. A module's
 * `beforeValidate` hooks run first (they see the body as the client sent it),
 * every other kind runs last (it sees what the collection's own hooks made).
 */
import type { CollectionHookName, CollectionHooks } from "../query/access-types.ts";
import type { ResolvedCollection } from "../schema/schema.ts";

const MODULES_FIRST: ReadonlySet<CollectionHookName> = new Set(["beforeValidate"]);

export function mergeHooks(
  own: CollectionHooks | undefined,
  fromModules: readonly CollectionHooks[],
): CollectionHooks {
  // Hook lists differ in type by name; merging only reorders them, so handle them alike.
  type Lists = Partial<Record<CollectionHookName, readonly unknown[]>>;
  const merged: Lists = {};
  const names = new Set<CollectionHookName>(
    [own ?? {}, ...fromModules].flatMap((h) => Object.keys(h) as CollectionHookName[]),
  );
  for (const name of names) {
    const theirs = fromModules.flatMap((h) => (h as Lists)[name] ?? []);
    const mine = (own as Lists | undefined)?.[name] ?? [];
    merged[name] = MODULES_FIRST.has(name) ? [...theirs, ...mine] : [...mine, ...theirs];
  }
  return merged as CollectionHooks;
}

/** Every collection's merged hooks, by slug; built once when the kernel is assembled. */
export function collectionHooks(
  collections: Iterable<ResolvedCollection>,
  fromModules: readonly Readonly<Record<string, CollectionHooks>>[],
): Map<string, CollectionHooks> {
  const out = new Map<string, CollectionHooks>();
  for (const collection of collections) {
    const theirs = fromModules.flatMap((m) =>
      Object.hasOwn(m, collection.slug) ? [m[collection.slug]!] : [],
    );
    out.set(collection.slug, mergeHooks(collection.config.hooks, theirs));
  }
  return out;
}
