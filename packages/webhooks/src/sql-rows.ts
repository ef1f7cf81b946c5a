/** Rows of the module's collections written with SQL: column names come from the collection. */
import type { DatabaseAdapter, ResolvedCollection } from "@lucent/core";
import { type SQL, type SQLWrapper, sql } from "drizzle-orm";

/** A field's column, as an identifier. */
export function col(collection: ResolvedCollection, field: string): SQLWrapper {
  const resolved = collection.fieldMap.get(field);
  if (!resolved) throw new Error(`@lucent/webhooks: ${collection.slug} has no field ${field}`);
  return sql.identifier(resolved.column);
}

export function table(collection: ResolvedCollection): SQLWrapper {
  return sql.identifier(collection.table);
}

/** JSON sent as text: postgres.js would encode a parameter typed jsonb once more. */
export function jsonb(value: unknown): SQL {
  return sql`${JSON.stringify(value)}::text::jsonb`;
}

// Milliseconds, as core stores timestamps, so `createdAt` filters match what clients were shown.
export const NOW_MS = sql`date_trunc('milliseconds', now())`;

/** Inserts rows (field name → value) with a fresh UUIDv7 id and timestamps each; returns the ids. */
export async function insertRows(
  db: DatabaseAdapter,
  collection: ResolvedCollection,
  rows: ReadonlyArray<Readonly<Record<string, SQL>>>,
): Promise<string[]> {
  if (rows.length === 0) return [];
  const fields = Object.keys(rows[0]!);
  const columns = [
    sql.identifier("id"),
    sql.identifier("created_at"),
    sql.identifier("updated_at"),
    ...fields.map((f) => col(collection, f)),
  ];
  const ids = rows.map(() => Bun.randomUUIDv7());
  const values = rows.map(
    (row, i) =>
      sql`(${sql.join([sql`${ids[i]}::uuid`, NOW_MS, NOW_MS, ...fields.map((f) => row[f]!)], sql`, `)})`,
  );
  await db.execute(
    sql`insert into ${table(collection)} (${sql.join(columns, sql`, `)}) values ${sql.join(values, sql`, `)}`,
  );
  return ids;
}
