/**
 * The `where` grammar (CONTRACT §4) as a schema per collection: each field
 * takes an object of the operators its type accepts, `and`/`or` nest, and a
 * dotted path follows a relationship. Which fields, which operators and how
 * their values look all come from core's field-type table (`queryFields`,
 * `whereConditionSchema`); this file only assembles them.
 */

import type { ResolvedCollection } from "@lucent/core";
import {
  MAX_IN_VALUES,
  MAX_WHERE_DEPTH,
  queryFields,
  WHERE_DESCRIPTION,
  whereConditionSchema,
} from "@lucent/core";
import type { JsonSchema } from "./json-schema.ts";
import { collectionNames, ref } from "./naming.ts";

export { MAX_IN_VALUES, MAX_WHERE_DEPTH, WHERE_DESCRIPTION };

/** The operator object of every name a where may use on `collection`. */
function conditions(
  collection: ResolvedCollection,
  authSlugs: ReadonlySet<string>,
): Array<[string, JsonSchema]> {
  return [...queryFields(collection).values()].map((field) => [
    field.name,
    whereConditionSchema(field, { authSlugs }),
  ]);
}

/** The `<Doc>Where` schema of a collection. */
export function whereSchema(
  collection: ResolvedCollection,
  collections: ReadonlyMap<string, ResolvedCollection>,
): JsonSchema {
  const authSlugs = new Set(
    [...collections.values()].filter((c) => c.config.auth).map((c) => c.slug),
  );
  const self = ref(collectionNames(collection.slug).where);
  const properties: Record<string, JsonSchema> = {
    and: {
      type: "array",
      items: self,
      maxItems: MAX_IN_VALUES,
      description: "every condition holds",
    },
    or: {
      type: "array",
      items: self,
      maxItems: MAX_IN_VALUES,
      description: "at least one condition holds",
    },
  };
  for (const [name, condition] of conditions(collection, authSlugs)) {
    properties[name] = condition;
  }
  // One level of dotted paths is spelled out; deeper ones (up to 4 segments) are accepted too.
  for (const field of collection.fields) {
    if (field.config.type !== "relationship") continue;
    const target = collections.get(field.config.relationTo);
    if (!target) continue;
    for (const [name, condition] of conditions(target, authSlugs)) {
      properties[`${field.name}.${name}`] = {
        ...condition,
        description: `${name} of the related ${target.slug} document (its read access applies)`,
      };
    }
  }
  return {
    type: "object",
    description:
      `A filter on ${collection.slug}: { "<field>": { "<operator>": value } }, combined with and/or ` +
      `(nested at most ${MAX_WHERE_DEPTH} levels, lists of at most ${MAX_IN_VALUES} values).`,
    properties,
  };
}
