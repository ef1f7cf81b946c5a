/** Collections: a slug, fields, access, hooks, indexes. */
import type { CollectionAccess, CollectionHooks } from "../query/access-types.ts";
import type { FieldConfig } from "./fields.ts";

export interface CollectionIndex {
  /** Field names, in index order. */
  fields: readonly string[];
  /** @default false */
  unique?: boolean;
}

export interface CollectionConfig {
  /** URL and table name: lower-case letters, digits and dashes, starting with a letter. */
  slug: string;
  /** Field name to field; declaration order is the column and response order. */
  fields: Record<string, FieldConfig>;
  access?: CollectionAccess;
  hooks?: CollectionHooks;
  /** Marks the collection @lucent/auth signs users into; it adds `email` and `password`. @default false */
  auth?: boolean | Record<string, unknown>;
  /** `createdAt` and `updatedAt`, set by Lucent. @default true */
  timestamps?: boolean;
  indexes?: readonly CollectionIndex[];
}

/**
 * Declares a collection. The `const` parameter keeps literal field types so
 * documents can be typed from the declaration itself.
 */
export function defineCollection<const C extends CollectionConfig>(collection: C): C {
  return collection;
}
