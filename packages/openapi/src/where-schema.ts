/**
 * The `where` grammar (CONTRACT §4) as a schema per collection: each field
 * takes an object of the operators its kind accepts, `and`/`or` nest, and a
 * dotted path follows a relationship. Which operators a field takes comes
 * from core's one table (`operatorsFor`); this file only says how values look.
 */

import type { ColumnKind, FieldConfig, ResolvedCollection } from "@lucent/core";
import {
  fieldKind,
  MAX_CONDITIONS,
  MAX_IN_VALUES,
  MAX_PATHS,
  MAX_WHERE_DEPTH,
  operatorsFor,
  SYSTEM_KINDS,
  WHERE_OPERATORS,
} from "@lucent/core";
import type { JsonSchema } from "./json-schema.ts";
import { collectionNames, ref } from "./naming.ts";

export { MAX_IN_VALUES, MAX_WHERE_DEPTH };

const UUID: JsonSchema = { type: "string", format: "uuid" };
const ISO_DATE: JsonSchema = { type: "string", description: "ISO 8601 date or date-time" };

interface FieldKind {
  kind: ColumnKind;
  /** How one value looks. */
  value: JsonSchema;
}

/** JSON Schema of one value of a column kind; `field` refines it (select options, "me"). */
function valueSchema(
  kind: ColumnKind,
  field: FieldConfig | undefined,
  authSlugs: ReadonlySet<string>,
): JsonSchema {
  if (field?.type === "select" || field?.type === "multiselect") {
    return { type: "string", enum: [...field.options] };
  }
  if (field?.type === "relationship" && authSlugs.has(field.relationTo)) {
    // "me" stands for the caller's id on a relationship to an auth collection.
    return { anyOf: [UUID, { type: "string", const: "me", description: "the caller's user id" }] };
  }
  switch (kind.base) {
    case "text":
      return { type: "string" };
    case "uuid":
      return UUID;
    case "integer":
      return { type: "integer" };
    case "numeric":
      return { type: "number" };
    case "boolean":
      return { type: "boolean" };
    case "timestamptz":
      return ISO_DATE;
    case "jsonb":
      return {};
  }
}

/** The operator object one field accepts. */
function condition({ kind, value }: FieldKind): JsonSchema {
  const array = kind.array;
  const ops = operatorsFor(kind);
  const list = { type: "array", items: value, maxItems: MAX_IN_VALUES };
  const properties: Record<string, JsonSchema> = {};
  for (const op of ops) {
    if (op === "exists") properties[op] = { type: "boolean" };
    else if (op === "like")
      properties[op] = {
        type: "string",
        description: "case-insensitive substring; % and _ are literal",
      };
    else if (op === "in" || op === "nin") properties[op] = list;
    else if (array)
      properties[op] = {
        anyOf: [list, { type: "null" }],
        description: "the same set, in any order",
      };
    else if (op === "eq" || op === "neq") properties[op] = { anyOf: [value, { type: "null" }] };
    else properties[op] = value;
  }
  return { type: "object", properties, additionalProperties: false, minProperties: 1 };
}

function systemKinds(collection: ResolvedCollection): Record<string, FieldKind> {
  const kinds: Record<string, FieldKind> = {};
  for (const [name, { kind }] of SYSTEM_KINDS) {
    if (name === "id" || collection.timestamps) {
      kinds[name] = { kind, value: valueSchema(kind, undefined, new Set()) };
    }
  }
  return kinds;
}

/** Fields a where may name: system fields and every field but passwords. */
function filterable(
  collection: ResolvedCollection,
  authSlugs: ReadonlySet<string>,
): Record<string, FieldKind> {
  const kinds = systemKinds(collection);
  for (const field of collection.fields) {
    if (field.config.type === "password") continue;
    const kind = fieldKind(field.config);
    kinds[field.name] = { kind, value: valueSchema(kind, field.config, authSlugs) };
  }
  return kinds;
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
  for (const [name, kind] of Object.entries(filterable(collection, authSlugs))) {
    properties[name] = condition(kind);
  }
  // One level of dotted paths is spelled out; deeper ones (up to 4 segments) are accepted too.
  for (const field of collection.fields) {
    if (field.config.type !== "relationship") continue;
    const target = collections.get(field.config.relationTo);
    if (!target) continue;
    for (const [name, kind] of Object.entries(filterable(target, authSlugs))) {
      properties[`${field.name}.${name}`] = {
        ...condition(kind),
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

/** The grammar in words, for the `where` parameter. */
export const WHERE_DESCRIPTION = [
  'JSON: `{ "<field>": { "<operator>": value } }`, several fields meaning all of them, combined with',
  `\`and\` / \`or\` arrays (nesting allowed). Operators: \`${WHERE_OPERATORS.join(" ")}\`.`,
  "Text fields take all of them; ids take `eq neq in nin exists`; numbers and dates take all but",
  "`like`; booleans `eq neq exists`; rich text, json, array and upload fields only `exists`.",
  "On a multiselect, `in` means any overlap, `nin` no overlap, `eq`/`neq` the same set in any order.",
  "`like` is a case-insensitive substring match (`%` and `_` are literal). `null` works with `eq`/`neq`.",
  '`"me"` on a relationship to the auth collection is the caller\'s id. A dotted path follows a',
  'relationship (`{ "author.name": { "eq": "Ada" } }`) with the related collection\'s read access applied.',
  `Nesting is limited to ${MAX_WHERE_DEPTH} levels and in/nin lists to ${MAX_IN_VALUES} values;`,
  `one where holds at most ${MAX_CONDITIONS} conditions and ${MAX_PATHS} distinct dotted paths.`,
  "A field the caller may not read is rejected like an unknown field (400).",
].join(" ");
