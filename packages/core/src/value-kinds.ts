/** How a field's values are typed in SQL: the cast used for parameters, and whether it is an array. */
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
