/** Maps Postgres errors a write can cause to the contract's errors; others stay 500s. */
import { ConflictError, LucentError, ValidationError } from "./errors.ts";
import type { ResolvedCollection } from "./schema.ts";

interface PgErrorLike {
  code?: string;
  constraint?: string;
  constraint_name?: string;
  table?: string;
  table_name?: string;
}

function pgError(error: unknown): PgErrorLike | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return error as PgErrorLike;
}

/** The field whose column a constraint or index name is built from. */
function fieldOf(
  collection: ResolvedCollection,
  constraint: string | undefined,
): string | undefined {
  if (!constraint) return undefined;
  const rest = constraint.startsWith(`${collection.table}_`)
    ? constraint.slice(collection.table.length + 1)
    : constraint;
  const match = collection.fields.find(
    (f) => rest === `${f.column}_key` || rest === `${f.column}_fkey`,
  );
  return match?.name;
}

export function mapWriteError(
  error: unknown,
  collection: ResolvedCollection,
  operation: "create" | "update" | "delete",
): unknown {
  if (error instanceof LucentError) return error;
  const pg = pgError(error);
  if (!pg) return error;
  const constraint = pg.constraint_name ?? pg.constraint;
  switch (pg.code) {
    case "23505": {
      const field = fieldOf(collection, constraint);
      return new ConflictError(
        field ? `${field} must be unique: the value is taken` : "a unique value is taken",
        field ? [{ path: field, message: "already exists" }] : undefined,
      );
    }
    case "23001":
    // ON DELETE RESTRICT raises restrict_violation, not foreign_key_violation.
    case "23503": {
      if (operation === "delete" || pg.code === "23001") {
        return new ConflictError(
          `this ${collection.slug} document is still referenced by ${pg.table_name ?? pg.table ?? "another collection"}`,
        );
      }
      const field = fieldOf(collection, constraint) ?? "relationship";
      return new ValidationError([{ path: field, message: "the related document does not exist" }]);
    }
    case "22001":
    case "22003":
    case "22007":
    case "22008":
    case "22021":
    case "22P02":
    case "22P05":
      return new ValidationError([{ path: "", message: "a value is out of range or malformed" }]);
    default:
      return error;
  }
}
