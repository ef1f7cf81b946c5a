/**
 * How the SQL compares text, reproduced in memory where it can be exactly.
 *
 * Equality is byte equality under every deterministic collation, so it is
 * always decided. `like` compiles to ILIKE, which lowers both sides with the
 * database's own case rules: ASCII letters fold the same everywhere, but a
 * non-ASCII letter with a lowercase form folds differently per database (a
 * C ctype folds none, libc folds by its Unicode version, ICU folds fully, with
 * final sigma and a dotted i). Ordering follows the database's collation,
 * which only a C collation makes code point order.
 */
import { sql } from "drizzle-orm";
import type { DatabaseAdapter } from "../drivers/drivers.ts";

const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Values reach the database as UTF-8, where a lone surrogate becomes U+FFFD. */
export function wellFormed(value: string): string {
  return SURROGATE.test(value) ? value.replace(LONE_SURROGATE, "\uFFFD") : value;
}

/** `value` with ASCII letters lowered; undefined when a letter would fold per database. */
function foldAscii(value: string): string | undefined {
  let out = "";
  for (const ch of value) {
    if (ch.charCodeAt(0) < 0x80) out += ch.toLowerCase();
    else if (ch.toLowerCase() !== ch) return undefined;
    else out += ch;
  }
  return out;
}

/** `text ILIKE '%' || escaped(value) || '%'`, or "unknown" when the database's case rules decide. */
export function ilikeContains(text: string, value: string): boolean | "unknown" {
  const haystack = foldAscii(wellFormed(text));
  const needle = foldAscii(wellFormed(value));
  if (haystack === undefined || needle === undefined) return "unknown";
  return haystack.includes(needle);
}

/** Sign of `a - b` in code point order, which is UTF-8 byte order (collation "C"). */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    // UTF-16 puts surrogates (code points past U+FFFF) before U+E000–U+FFFF.
    if (x !== y) return Math.sign(codeUnitRank(x) - codeUnitRank(y));
  }
  return Math.sign(a.length - b.length);
}

function codeUnitRank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}

const CODE_POINT_COLLATIONS = /^(c|posix|c\.utf-?8)$/i;

/**
 * Whether the database orders text by code point: a `C`, `POSIX` or
 * `C.UTF-8` libc collation, or the builtin provider (PostgreSQL 17+). Pass
 * the answer to `matchesWhere` as `codePointTextOrder`.
 */
export async function ordersTextByCodePoint(db: DatabaseAdapter): Promise<boolean> {
  const rows = await db
    .execute<{ collate: string; provider: string }>(
      sql`select datcollate as collate, datlocprovider::text as provider from pg_database where datname = current_database()`,
    )
    // Before PostgreSQL 15 there is no provider column: every collation is libc.
    .catch(() =>
      db.execute<{ collate: string; provider: string }>(
        sql`select datcollate as collate, 'c' as provider from pg_database where datname = current_database()`,
      ),
    );
  const row = rows[0];
  if (!row) return false;
  if (row.provider === "b") return true;
  return row.provider === "c" && CODE_POINT_COLLATIONS.test(row.collate);
}
