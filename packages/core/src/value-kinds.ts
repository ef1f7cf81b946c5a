/**
 * How a field's values are typed in SQL (the cast used for parameters, and
 * whether it is an array), and what a kind of column can be asked: the one
 * table of operators and sortability that the query parsers, the in-memory
 * matcher and the OpenAPI document all read.
 */
import type { Operator } from "./access-types.ts";
import type { FieldConfig } from "./fields.ts";

export interface ColumnKind {
  base: "text" | "uuid" | "integer" | "numeric" | "boolean" | "timestamptz" | "jsonb";
  array: boolean;
}

export function fieldKind(field: FieldConfig): ColumnKind {
  switch (field.type) {
    case "text":
    case "email":
    case "password":
    case "select":
      return { base: "text", array: false };
    case "multiselect":
      return { base: "text", array: true };
    case "integer":
      return { base: "integer", array: false };
    case "number":
      return { base: "numeric", array: false };
    case "boolean":
      return { base: "boolean", array: false };
    case "date":
      return { base: "timestamptz", array: false };
    case "relationship":
      return { base: "uuid", array: field.hasMany === true };
    case "richtext":
    case "json":
    case "array":
    case "upload":
      return { base: "jsonb", array: false };
  }
}

/** The fields every document has; a Map, so inherited names such as `constructor` are not found. */
export const SYSTEM_KINDS: ReadonlyMap<string, { column: string; kind: ColumnKind }> = new Map([
  ["id", { column: "id", kind: { base: "uuid", array: false } }],
  ["createdAt", { column: "created_at", kind: { base: "timestamptz", array: false } }],
  ["updatedAt", { column: "updated_at", kind: { base: "timestamptz", array: false } }],
]);

/** Every `where` operator, in the order documents list them. */
export const WHERE_OPERATORS: readonly Operator[] = [
  "eq",
  "neq",
  "gt",
  "gte",
  "lt",
  "lte",
  "in",
  "nin",
  "exists",
  "like",
];

const ORDERED: readonly Operator[] = ["eq", "neq", "gt", "gte", "lt", "lte", "in", "nin", "exists"];
const BY_BASE: Record<ColumnKind["base"], readonly Operator[]> = {
  text: [...ORDERED, "like"],
  uuid: ["eq", "neq", "in", "nin", "exists"],
  integer: ORDERED,
  numeric: ORDERED,
  timestamptz: ORDERED,
  boolean: ["eq", "neq", "exists"],
  jsonb: ["exists"],
};
// Arrays compare as sets: equality, overlap and presence.
const ON_ARRAYS: readonly Operator[] = ["eq", "neq", "in", "nin", "exists"];

/** The operators a kind of column accepts in a `where`. */
export function operatorsFor(kind: ColumnKind): readonly Operator[] {
  return kind.array ? ON_ARRAYS : BY_BASE[kind.base];
}

/** Whether a list can be sorted by a column of this kind (arrays and JSON cannot). */
export function isSortable(kind: ColumnKind): boolean {
  return !kind.array && kind.base !== "jsonb";
}
