/**
 * The `where` grammar as JSON Schema, for the OpenAPI document: the operator
 * object one field accepts, built from the same table the parser checks
 * (query-fields.ts), with values shaped by the field's type.
 */
import { fieldTypeOf } from "../schema/field-types/registry.ts";
import type { JsonSchema, WhereSchemaContext } from "../schema/field-types/types.ts";
import type { ColumnKind } from "../schema/value-kinds.ts";
import { WHERE_OPERATORS } from "../schema/value-kinds.ts";
import type { QueryField } from "./query-fields.ts";
import { MAX_CONDITIONS, MAX_IN_VALUES, MAX_PATHS, MAX_WHERE_DEPTH } from "./where-parse.ts";

const UUID: JsonSchema = { type: "string", format: "uuid" };
const ISO_DATE: JsonSchema = { type: "string", description: "ISO 8601 date or date-time" };

/** One value of a column kind, as the parser reads it. */
function kindValueSchema(kind: ColumnKind): JsonSchema {
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

/** The operator object one field of a where accepts: its operators, each with its value's shape. */
export function whereConditionSchema(field: QueryField, ctx: WhereSchemaContext): JsonSchema {
  const config = field.field?.config;
  const value =
    (config && fieldTypeOf(config).whereSchema?.(config, ctx)) ?? kindValueSchema(field.kind);
  const list = { type: "array", items: value, maxItems: MAX_IN_VALUES };
  const properties: Record<string, JsonSchema> = {};
  for (const op of field.operators) {
    if (op === "exists") properties[op] = { type: "boolean" };
    else if (op === "like")
      properties[op] = {
        type: "string",
        description: "case-insensitive substring; % and _ are literal",
      };
    else if (op === "in" || op === "nin") properties[op] = list;
    else if (field.kind.array)
      properties[op] = {
        anyOf: [list, { type: "null" }],
        description: "the same set, in any order",
      };
    else if (op === "eq" || op === "neq") properties[op] = { anyOf: [value, { type: "null" }] };
    else properties[op] = value;
  }
  return { type: "object", properties, additionalProperties: false, minProperties: 1 };
}

/** The grammar in words, for the `where` parameter (CONTRACT §4). */
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
