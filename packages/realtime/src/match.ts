/**
 * Whether a subscriber's filter (their `where` AND the collection's read
 * access, one tree from `readFilter`) admits a document, decided in memory
 * with core's `matchesWhere`. A dotted path is the one thing memory cannot
 * decide alone: it is answered here from the related documents, fetched
 * for all subscribers of the change together (`RelatedDocs`).
 */
import {
  type Doc,
  type MatchResult,
  matchesWhere,
  type ResolvedCollection,
  type WhereNode,
} from "@lucent/core";
import type { RelatedDocs } from "./related.ts";

export interface MatchInput {
  collections: ReadonlyMap<string, ResolvedCollection>;
  collection: ResolvedCollection;
  tree: WhereNode;
  doc: Doc;
  codePointTextOrder: boolean;
  related: RelatedDocs;
}

/** Columns to document fields (`author_id` → `author`), cached per collection. */
const fieldsByColumn = new WeakMap<ResolvedCollection, Map<string, string>>();

function fieldOf(collection: ResolvedCollection, column: string): string | undefined {
  let map = fieldsByColumn.get(collection);
  if (!map) {
    map = new Map([["id", "id"]]);
    for (const f of collection.fields) map.set(f.column, f.name);
    fieldsByColumn.set(collection, map);
  }
  return map.get(column);
}

export function hasPath(tree: WhereNode): boolean {
  if (tree.kind === "path") return true;
  if (tree.kind === "and" || tree.kind === "or") return tree.children.some(hasPath);
  return false;
}

/**
 * The tree with each dotted path replaced by its answer for `doc`, as far
 * as the related documents already fetched allow; paths whose documents
 * are missing stay, and are asked for from `related`.
 */
function substitute(
  tree: WhereNode,
  doc: Readonly<Record<string, unknown>>,
  collection: ResolvedCollection,
  input: MatchInput,
): WhereNode {
  switch (tree.kind) {
    case "const":
    case "cond":
      return tree;
    case "and":
    case "or":
      return {
        kind: tree.kind,
        children: tree.children.map((c) => substitute(c, doc, collection, input)),
      };
    case "path": {
      const field = fieldOf(collection, tree.column);
      const value = field === undefined ? undefined : doc[field];
      if (value === undefined) return tree;
      const ids = (Array.isArray(value) ? value : [value]).filter(
        (v): v is string => typeof v === "string",
      );
      let answer: MatchResult = false;
      for (const id of ids) {
        const related = input.related.get(tree.target, id);
        if (related === undefined) return tree;
        if (related === null) continue;
        const inner = decide({ ...input, collection: tree.target, tree: tree.inner, doc: related });
        if (inner === true) {
          answer = true;
          break;
        }
        if (inner === "unknown") answer = "unknown";
      }
      return answer === "unknown" ? tree : { kind: "const", value: answer };
    }
  }
}

/** In memory only: `true`, `false`, or "unknown" (a related document is still missing, or memory cannot tell). */
export function decide(input: MatchInput): MatchResult {
  const first = matchesWhere({
    collections: input.collections,
    collection: input.collection.slug,
    where: input.tree,
    doc: input.doc,
    codePointTextOrder: input.codePointTextOrder,
  });
  if (first !== "unknown" || !hasPath(input.tree)) return first;
  return matchesWhere({
    collections: input.collections,
    collection: input.collection.slug,
    where: substitute(input.tree, input.doc, input.collection, input),
    doc: input.doc,
    codePointTextOrder: input.codePointTextOrder,
  });
}
