/**
 * What a kind of column can be asked: the one table of operators and
 * sortability per column that the query parsers, the in-memory matcher and
 * the OpenAPI document all read. A field's kind comes from its type's column
 * (field-types/), and a type may offer fewer operators than its column can
 * answer, never more.
 */
import type { Operator } from "../query/access-types.ts";
import { fieldTypeOf } from "./field-types/registry.ts";
import type { FieldColumnType } from "./field-types/types.ts";
import type { FieldConfig } from "./fields.ts";

export interface ColumnKind {
  base: "text" | "uuid" | "integer" | "numeric" | "boolean" | "timestamptz" | "jsonb";
  array: boolean;
}

/** The kind of a column type: `text[]` is a text array. */
export function columnKind(type: FieldColumnType): ColumnKind {
  return type.endsWith("[]")
    ? { base: type.slice(0, -2) as ColumnKind["base"], array: true }
    : { base: type as ColumnKind["base"], array: false };
}

/** How a field's values are typed in SQL: its type's column. */
export function fieldKind(field: FieldConfig): ColumnKind {
  return columnKind(fieldTypeOf(field).column(field).type);
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

/** The operators a field takes in a `where`: its type's, checked against what its column can answer. */
export function fieldOperators(field: FieldConfig): readonly Operator[] {
  const kind = fieldKind(field);
  const type = fieldTypeOf(field);
  const answerable = operatorsFor(kind);
  if (!type.operators) return answerable;
  const offered = type.operators(field);
  const wrong = offered.find((op) => !answerable.includes(op));
  if (wrong) {
    throw new Error(
      `field type "${field.type}": its column (${kind.base}${kind.array ? "[]" : ""}) cannot answer "${wrong}"`,
    );
  }
  return offered;
}

/** Whether a list can be sorted by a field: its type's answer, by default its column's. */
export function fieldSortable(field: FieldConfig): boolean {
  const type = fieldTypeOf(field);
  return type.sortable ? type.sortable(field) : isSortable(fieldKind(field));
}
