/**
 * The migrator's neutral description of a table. Collections compile to it,
 * and modules contribute their own tables in the same form.
 */

export type ColumnType =
  | "uuid"
  | "uuid[]"
  | "text"
  | "text[]"
  | "integer"
  | "bigint"
  | "numeric"
  | "boolean"
  | "timestamptz"
  | "jsonb"
  | "bytea";

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  /** @default false */
  notNull?: boolean;
  /** @default false */
  primaryKey?: boolean;
  /** A SQL default expression, e.g. `now()`. Only used when the column is created. */
  default?: string;
  references?: { table: string; column: string; onDelete: "set null" | "restrict" | "cascade" };
}

export interface IndexSpec {
  /** Derived from table and columns when omitted. */
  name?: string;
  columns: readonly string[];
  /** @default false */
  unique?: boolean;
  /** @default "btree" */
  using?: "btree" | "gin";
}

export interface TableSpec {
  name: string;
  columns: readonly ColumnSpec[];
  indexes?: readonly IndexSpec[];
}
