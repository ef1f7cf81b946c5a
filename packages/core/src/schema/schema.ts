/** Compiles a collection into what the engine and migrator need: columns and a table spec. */
import type { CollectionConfig } from "./collection.ts";
import { fieldTypeOf } from "./field-types/registry.ts";
import type { FieldConfig } from "./fields.ts";
import { pgIdentifier, snakeCase } from "./naming.ts";
import type { ColumnSpec, ColumnType, IndexSpec, TableSpec } from "./table-spec.ts";
import { fieldOperators } from "./value-kinds.ts";

export interface ResolvedField {
  name: string;
  column: string;
  config: FieldConfig;
}

export interface ResolvedCollection {
  slug: string;
  table: string;
  config: CollectionConfig;
  /** User-declared fields, in order. */
  fields: readonly ResolvedField[];
  fieldMap: ReadonlyMap<string, ResolvedField>;
  timestamps: boolean;
  spec: TableSpec;
}

/** A field's column type, from its type in the field-type table. */
export function columnType(field: FieldConfig): ColumnType {
  return fieldTypeOf(field).column(field).type;
}

export function tableName(slug: string): string {
  return pgIdentifier(snakeCase(slug));
}

export function resolveCollection(config: CollectionConfig): ResolvedCollection {
  const table = tableName(config.slug);
  const timestamps = config.timestamps !== false;
  const fields = Object.entries(config.fields).map(([name, field]) => ({
    name,
    column: pgIdentifier(snakeCase(name)),
    config: field,
  }));
  const columns: ColumnSpec[] = [{ name: "id", type: "uuid", primaryKey: true, notNull: true }];
  const indexes: IndexSpec[] = [];
  for (const f of fields) {
    // Asked once here so that a type promising an operator its column cannot answer stops startup.
    fieldOperators(f.config);
    const { type, references } = fieldTypeOf(f.config).column(f.config);
    // Columns stay nullable: `required` is enforced by validation, which lets a
    // required field be added to a table that already has rows.
    const column: ColumnSpec = { name: f.column, type };
    if (references) {
      columns.push({
        ...column,
        references: {
          table: tableName(references.collection),
          column: "id",
          onDelete: references.onDelete,
        },
      });
      // Foreign keys are not indexed by Postgres itself; population and joins need one.
      indexes.push({ columns: [f.column] });
    } else {
      columns.push(column);
    }
    if ("unique" in f.config && f.config.unique)
      indexes.push({ columns: [f.column], unique: true });
    else if ("index" in f.config && f.config.index) indexes.push({ columns: [f.column] });
    // Set operators (`@>`, `&&`) on list columns need a GIN index to use one.
    if (type.endsWith("[]")) indexes.push({ columns: [f.column], using: "gin" });
  }
  if (timestamps) {
    columns.push({ name: "created_at", type: "timestamptz", notNull: true, default: "now()" });
    columns.push({ name: "updated_at", type: "timestamptz", notNull: true, default: "now()" });
    // The default list order is -createdAt with id as tie-breaker.
    indexes.push({ columns: ["created_at", "id"] });
  }
  const byName = new Map(fields.map((f) => [f.name, f.column]));
  byName.set("createdAt", "created_at").set("updatedAt", "updated_at").set("id", "id");
  for (const index of config.indexes ?? []) {
    indexes.push({
      columns: index.fields.map((f) => byName.get(f) ?? f),
      ...(index.unique ? { unique: true } : {}),
    });
  }
  return {
    slug: config.slug,
    table,
    config,
    fields,
    fieldMap: new Map(fields.map((f) => [f.name, f])),
    timestamps,
    spec: {
      name: table,
      columns,
      indexes: indexes.map((i) => ({ ...i, name: indexName(table, i) })),
    },
  };
}

export function indexName(table: string, index: IndexSpec): string {
  if (index.name) return index.name;
  const suffix = index.unique ? "key" : index.using === "gin" ? "gin" : "idx";
  return pgIdentifier(`${table}_${index.columns.join("_")}_${suffix}`);
}
