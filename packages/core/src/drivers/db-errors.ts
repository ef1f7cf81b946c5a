/**
 * Maps Postgres errors to the contract's errors: what a write can cause
 * (`mapWriteError`), and what any statement can meet (`mapDatabaseError`).
 */
import { ConflictError, LucentError, ValidationError } from "../http/errors.ts";
import type { ResolvedCollection } from "../schema/schema.ts";

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

/** Seconds a client is told to wait after the database timed out or went away. */
const RETRY_AFTER = "5";
/** Socket and pool errors of postgres.js: the server is unreachable or went away. */
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "ETIMEDOUT",
  "EPIPE",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
]);

/**
 * A statement cut by `statement_timeout` (57014) or a database that cannot
 * be reached is a 503 with Retry-After; a value Postgres refuses (class 22:
 * out of range, bad encoding) is a 400. Anything else is left alone (a 500).
 */
export function mapDatabaseError(error: unknown): LucentError | undefined {
  const code = pgError(error)?.code;
  if (code === undefined) return undefined;
  if (code === "57014") {
    return new LucentError("UNAVAILABLE", "the database did not answer in time", {
      headers: { "retry-after": RETRY_AFTER },
      cause: error,
    });
  }
  if (CONNECTION_CODES.has(code) || code.startsWith("08") || code === "57P01" || code === "53300") {
    return new LucentError("UNAVAILABLE", "the database is unavailable", {
      headers: { "retry-after": RETRY_AFTER },
      cause: error,
    });
  }
  if (code.startsWith("22")) {
    return new ValidationError([{ path: "", message: "a value is out of range or malformed" }]);
  }
  return undefined;
}
