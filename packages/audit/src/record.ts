/** One log entry, inserted with the audited write's own transaction handle. */
import type { DatabaseAdapter, ResolvedCollection, WriteOrigin } from "@lucent/core";
import { type SQL, sql } from "drizzle-orm";
import type { Changes } from "./changes.ts";
import type { OPERATIONS } from "./collection.ts";

export interface Entry extends Changes {
  operation: (typeof OPERATIONS)[number];
  collection: string;
  documentId: string | null;
  origin: WriteOrigin;
  detail?: Record<string, unknown>;
}

export async function recordEntry(
  db: DatabaseAdapter,
  log: ResolvedCollection,
  entry: Entry,
): Promise<void> {
  const values: Record<string, SQL> = {
    operation: sql`${entry.operation}`,
    collection: sql`${entry.collection}`,
    documentId: sql`${entry.documentId}`,
    actor: sql`${entry.origin.actor?.id ?? null}`,
    actorCollection: sql`${entry.origin.actor?.collection ?? null}`,
    requestId: sql`${entry.origin.requestId}`,
    ip: sql`${entry.origin.ip}`,
    // Sent as text: postgres.js would encode a parameter typed jsonb once more (a JSON string).
    changedFields: sql`${JSON.stringify(entry.changedFields)}::text::jsonb`,
    changes: sql`${JSON.stringify(entry.changes)}::text::jsonb`,
    detail: entry.detail ? sql`${JSON.stringify(entry.detail)}::text::jsonb` : sql`null`,
  };
  const columns = [
    sql.identifier("id"),
    sql.identifier("created_at"),
    sql.identifier("updated_at"),
  ];
  // Milliseconds, as core stores timestamps, so `createdAt` filters match what clients were shown.
  const row = [
    sql`${Bun.randomUUIDv7()}::uuid`,
    sql`date_trunc('milliseconds', now())`,
    sql`date_trunc('milliseconds', now())`,
  ];
  for (const [name, value] of Object.entries(values)) {
    columns.push(sql.identifier(log.fieldMap.get(name)!.column));
    row.push(value);
  }
  await db.execute(
    sql`insert into ${sql.identifier(log.table)} (${sql.join(columns, sql`, `)}) values (${sql.join(row, sql`, `)})`,
  );
}
