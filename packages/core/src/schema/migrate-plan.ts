/**
 * The additive migrator's differ. It reads the live schema from
 * information_schema and pg_catalog and compares it with the table specs.
 * Additions become statements; removals and type changes are reported as
 * destructive and only drops are ever applied, with `dropOrphaned`.
 *
 * drizzle-kit's pushSchema was considered: it prompts on add+drop in one
 * table, does not flag type changes, and needs exact default mirroring, so a
 * small differ over the catalog is the safer tool for an additive-only policy.
 */
import { sql } from "drizzle-orm";
import type { DatabaseAdapter } from "../drivers/drivers.ts";
import { indexName } from "./schema.ts";
import type { ColumnSpec, ColumnType, TableSpec } from "./table-spec.ts";

export interface DestructiveChange {
  kind: "drop-table" | "drop-column" | "type-change";
  table: string;
  column?: string;
  message: string;
  /** The statement that applies it (drops only; type changes are never applied). */
  sql?: string;
}

export interface MigrationPlan {
  /** Additive statements, in order. */
  statements: string[];
  destructive: DestructiveChange[];
  /** Every table Lucent manages after this plan. */
  tables: string[];
}

interface LiveSchema {
  columns: Map<string, Map<string, ColumnType | string>>;
  indexes: Set<string>;
  constraints: Set<string>;
  managed: string[];
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

function liveType(dataType: string, udt: string): ColumnType | string {
  switch (dataType) {
    case "timestamp with time zone":
      return "timestamptz";
    case "ARRAY":
      return udt === "_text" ? "text[]" : udt === "_uuid" ? "uuid[]" : `${udt.slice(1)}[]`;
    default:
      return dataType;
  }
}

async function readLiveSchema(db: DatabaseAdapter): Promise<LiveSchema> {
  const [columnRows, indexRows, constraintRows, managedRows] = await Promise.all([
    db.execute<{ table_name: string; column_name: string; data_type: string; udt_name: string }>(
      sql`select table_name, column_name, data_type, udt_name from information_schema.columns
          where table_schema = current_schema() order by table_name, ordinal_position`,
    ),
    db.execute<{ indexname: string }>(
      sql`select indexname from pg_indexes where schemaname = current_schema()`,
    ),
    db.execute<{ conname: string }>(
      sql`select conname from pg_constraint where connamespace = current_schema()::regnamespace`,
    ),
    db
      .execute<{ tables: string[] }>(
        sql`select tables from lucent_migrations order by id desc limit 1`,
      )
      .catch(() => [] as { tables: string[] }[]),
  ]);
  const columns = new Map<string, Map<string, string>>();
  for (const row of columnRows) {
    let table = columns.get(row.table_name);
    if (!table) {
      table = new Map();
      columns.set(row.table_name, table);
    }
    table.set(row.column_name, liveType(row.data_type, row.udt_name));
  }
  return {
    columns,
    indexes: new Set(indexRows.map((r) => r.indexname)),
    constraints: new Set(constraintRows.map((r) => r.conname)),
    managed: managedRows[0]?.tables ?? [],
  };
}

function columnDefinition(column: ColumnSpec): string {
  let def = `${q(column.name)} ${column.type}`;
  if (column.primaryKey) def += " primary key";
  if (column.notNull && !column.primaryKey) def += " not null";
  if (column.default) def += ` default ${column.default}`;
  return def;
}

export function foreignKeyName(table: string, column: string): string {
  return `${table}_${column}_fkey`.slice(0, 63);
}

/** Computes what it takes to bring the live schema to `specs`. */
export async function planMigration(
  db: DatabaseAdapter,
  specs: readonly TableSpec[],
): Promise<MigrationPlan> {
  const live = await readLiveSchema(db);
  const statements: string[] = [];
  const foreignKeys: string[] = [];
  const destructive: DestructiveChange[] = [];

  for (const spec of specs) {
    const existing = live.columns.get(spec.name);
    if (!existing) {
      const defs = spec.columns.map(columnDefinition).join(", ");
      statements.push(`create table ${q(spec.name)} (${defs})`);
    } else {
      for (const column of spec.columns) {
        const type = existing.get(column.name);
        if (type === undefined) {
          // A NOT NULL column without a default cannot be added to a table with rows.
          const safe = column.notNull && !column.default ? { ...column, notNull: false } : column;
          statements.push(`alter table ${q(spec.name)} add column ${columnDefinition(safe)}`);
        } else if (type !== column.type) {
          destructive.push({
            kind: "type-change",
            table: spec.name,
            column: column.name,
            message: `${spec.name}.${column.name} is ${type} in the database but ${column.type} in the config; change it by hand`,
          });
        }
      }
      const wanted = new Set(spec.columns.map((c) => c.name));
      for (const name of existing.keys()) {
        if (!wanted.has(name)) {
          destructive.push({
            kind: "drop-column",
            table: spec.name,
            column: name,
            message: `${spec.name}.${name} has no field in the config`,
            sql: `alter table ${q(spec.name)} drop column ${q(name)}`,
          });
        }
      }
    }
    for (const column of spec.columns) {
      if (!column.references) continue;
      const name = foreignKeyName(spec.name, column.name);
      if (live.constraints.has(name)) continue;
      const ref = column.references;
      foreignKeys.push(
        `alter table ${q(spec.name)} add constraint ${q(name)} foreign key (${q(column.name)}) references ${q(ref.table)} (${q(ref.column)}) on delete ${ref.onDelete}`,
      );
    }
    for (const index of spec.indexes ?? []) {
      const name = indexName(spec.name, index);
      if (live.indexes.has(name)) continue;
      const using = index.using === "gin" ? " using gin" : "";
      const cols = index.columns.map(q).join(", ");
      statements.push(
        `create ${index.unique ? "unique " : ""}index if not exists ${q(name)} on ${q(spec.name)}${using} (${cols})`,
      );
    }
  }
  const current = new Set(specs.map((s) => s.name));
  for (const table of live.managed) {
    if (!current.has(table) && live.columns.has(table)) {
      destructive.push({
        kind: "drop-table",
        table,
        message: `table ${table} has no collection or module in the config`,
        sql: `drop table ${q(table)} cascade`,
      });
    }
  }
  const tables = [...new Set([...live.managed.filter((t) => live.columns.has(t)), ...current])];
  // Foreign keys last, so tables created in this plan may reference each other in any order.
  return { statements: [...statements, ...foreignKeys], destructive, tables };
}
