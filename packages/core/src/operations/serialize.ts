/** Rows to documents and documents to column values. */
import { type SQL, sql } from "drizzle-orm";
import type { Row } from "../drivers/drivers.ts";
import type { Doc } from "../query/access-types.ts";
import { fieldTypeOf } from "../schema/field-types/registry.ts";
import { toIsoString } from "../schema/iso-date.ts";
import type { ResolvedCollection, ResolvedField } from "../schema/schema.ts";
import { fieldKind } from "../schema/value-kinds.ts";

function toIso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return toIsoString(value);
}

/** A stored row as a document: every field but write-only ones, timestamps as ISO strings. */
export function rowToDoc(collection: ResolvedCollection, row: Row): Doc {
  const doc: Doc = { id: row.id as string };
  for (const field of collection.fields) {
    const type = fieldTypeOf(field.config);
    if (type.writeOnly) continue;
    const value = row[field.column];
    doc[field.name] =
      value === null || value === undefined ? null : type.toJson ? type.toJson(value) : value;
  }
  if (collection.timestamps) {
    doc.createdAt = toIso(row.created_at);
    doc.updatedAt = toIso(row.updated_at);
  }
  return doc;
}

/** A validated value as an SQL expression for its column. */
export function valueToSql(field: ResolvedField, value: unknown): SQL {
  if (value === null || value === undefined) return sql`null`;
  const kind = fieldKind(field.config);
  // Sent as text and parsed by Postgres: postgres.js would encode a parameter it
  // sees typed as jsonb once more, storing a JSON string instead of the value.
  if (kind.base === "jsonb") return sql`${JSON.stringify(value)}::text::jsonb`;
  if (kind.array) return sql`${sql.param(value)}::${sql.raw(`${kind.base}[]`)}`;
  if (kind.base === "numeric") return sql`${String(value)}::numeric`;
  return sql`${sql.param(value)}::${sql.raw(kind.base)}`;
}

/** Keeps `id` and the selected fields of a document. */
export function project(doc: Doc, select: readonly string[] | undefined): Doc {
  if (!select) return doc;
  const out: Doc = { id: doc.id };
  for (const name of select) if (Object.hasOwn(doc, name)) out[name] = doc[name];
  return out;
}
