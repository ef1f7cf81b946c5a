/**
 * A parsed `where` tree (user filter and access filters alike) evaluated
 * against one document in memory, with exactly the SQL's answers (see
 * where-sql.ts), so that realtime can filter change events per subscriber
 * without a query per subscriber.
 *
 * What memory cannot know is answered "unknown", and and/or combine it as
 * SQL combines NULL (false AND unknown is false, true OR unknown is true):
 * a dotted path needs the related document; text ordering needs the
 * database's collation; `like` on a non-ASCII letter that has a lowercase
 * form needs the database's case rules; `createdAt`/`updatedAt` are stored
 * to the microsecond but documents carry milliseconds, so a test that ties
 * to the millisecond needs the row. A field missing from the document (or
 * holding a value its column cannot hold) is unknown too.
 *
 * Why the rest is exact: the where language only yields NULL from a NULL
 * column and never negates an and/or, so a NULL reaching the top behaves as
 * false; numbers written through Lucent are doubles, whose shortest decimal
 * (what NUMERIC stores) orders exactly as the double; dates written through
 * Lucent are whole milliseconds.
 */

import { NotFoundError } from "../http/errors.ts";
import type { ResolvedCollection } from "../schema/schema.ts";
import { matchCondition } from "./condition-match.ts";
import type { WhereNode } from "./where-parse.ts";

/** `true`, `false`, or "unknown" when only the database can decide. */
export type MatchResult = boolean | "unknown";

export interface MatchOptions {
  /**
   * The database orders text by code point (collation `C`, `POSIX` or
   * `C.UTF-8`, as PGlite always does; see `ordersTextByCodePoint`), so text
   * `gt`/`gte`/`lt`/`lte` are decided in memory. Otherwise they are "unknown".
   * @default false
   */
  codePointTextOrder?: boolean;
}

export interface MatchesWhereOptions extends MatchOptions {
  /** Every collection, as `KernelContext.collections` holds them. */
  collections: ReadonlyMap<string, ResolvedCollection>;
  /** The slug of the document's collection (the one the tree was parsed for). */
  collection: string;
  /** The tree, from `readFilter`. */
  where: WhereNode;
  /** The document as stored, in the API's JSON shape (a `ChangeEvent`'s `doc`). */
  doc: Readonly<Record<string, unknown>>;
}

type Tri = MatchResult;
const UNKNOWN = "unknown";

function and3(a: Tri, b: () => Tri): Tri {
  if (a === false) return false;
  const right = b();
  if (right === false) return false;
  return a === true && right === true ? true : UNKNOWN;
}

interface ColumnRef {
  field: string;
  /** Stamped by the database to the microsecond; documents carry milliseconds. */
  microseconds: boolean;
}

const columnMaps = new WeakMap<ResolvedCollection, ReadonlyMap<string, ColumnRef>>();

/** Trees name columns; documents name fields. */
function columnsOf(collection: ResolvedCollection): ReadonlyMap<string, ColumnRef> {
  let map = columnMaps.get(collection);
  if (!map) {
    const built = new Map<string, ColumnRef>([["id", { field: "id", microseconds: false }]]);
    if (collection.timestamps) {
      built.set("created_at", { field: "createdAt", microseconds: true });
      built.set("updated_at", { field: "updatedAt", microseconds: true });
    }
    for (const f of collection.fields) built.set(f.column, { field: f.name, microseconds: false });
    map = built;
    columnMaps.set(collection, map);
  }
  return map;
}

/**
 * Whether `where` admits `doc`, exactly as the SQL of a list would, or
 * "unknown" when only the database can tell (then run the query). Evaluate
 * the stored document: access filters may test fields the caller cannot
 * read; hide those afterwards with `readableDoc`.
 */
export function matchesWhere(options: MatchesWhereOptions): MatchResult {
  const collection = options.collections.get(options.collection);
  if (!collection) throw new NotFoundError(`no collection "${options.collection}"`);
  return evaluate(options.where, options.doc, columnsOf(collection), options);
}

/**
 * Whether `matchesWhere` can decide this tree without the database: false
 * when it holds a dotted path, or text ordering without
 * `codePointTextOrder`. Even a decidable tree answers "unknown" for a
 * document where `like` meets a non-ASCII letter with a lowercase form, or
 * where `createdAt`/`updatedAt` ties the compared instant to the millisecond.
 */
export function isDecidableInMemory(where: WhereNode, options: MatchOptions = {}): boolean {
  switch (where.kind) {
    case "const":
      return true;
    case "and":
    case "or":
      return where.children.every((c) => isDecidableInMemory(c, options));
    case "path":
      return false;
    case "cond":
      return !isTextOrdering(where) || options.codePointTextOrder === true;
  }
}

function isTextOrdering(node: Extract<WhereNode, { kind: "cond" }>): boolean {
  return node.type.base === "text" && ["gt", "gte", "lt", "lte"].includes(node.op);
}

function evaluate(
  node: WhereNode,
  doc: Readonly<Record<string, unknown>>,
  columns: ReadonlyMap<string, ColumnRef>,
  options: MatchOptions,
): Tri {
  switch (node.kind) {
    case "const":
      return node.value;
    case "and": {
      let result: Tri = true;
      for (const child of node.children) {
        result = and3(result, () => evaluate(child, doc, columns, options));
        if (result === false) return false;
      }
      return result;
    }
    case "or": {
      let result: Tri = false;
      for (const child of node.children) {
        const value = evaluate(child, doc, columns, options);
        if (value === true) return true;
        if (value === UNKNOWN) result = UNKNOWN;
      }
      return result;
    }
    case "path":
      return pathMatch(node, doc, columns);
    case "cond": {
      const ref = columns.get(node.column);
      if (!ref || !Object.hasOwn(doc, ref.field) || doc[ref.field] === undefined) return UNKNOWN;
      const value = doc[ref.field];
      return matchCondition(node, value, ref.microseconds, options);
    }
  }
}

/** `column in (subquery)` / `column && array(subquery)`: false on NULL or an empty list. */
function pathMatch(
  node: Extract<WhereNode, { kind: "path" }>,
  doc: Readonly<Record<string, unknown>>,
  columns: ReadonlyMap<string, ColumnRef>,
): Tri {
  if (node.inner.kind === "const" && !node.inner.value) return false;
  const ref = columns.get(node.column);
  const value = ref && Object.hasOwn(doc, ref.field) ? doc[ref.field] : undefined;
  if (value === null) return false;
  if (node.many && Array.isArray(value) && value.length === 0) return false;
  return UNKNOWN;
}
