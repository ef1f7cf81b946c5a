/**
 * Event filters: `"posts.create"`, `"posts.*"`, `"*.delete"` or `"*"`. They
 * are checked when an endpoint is saved (unknown collections and operations
 * are a 400, so a typo does not silently match nothing) and matched in
 * memory on every committed write.
 */
export const OPERATIONS = ["create", "update", "delete"] as const;
export type WriteOperation = (typeof OPERATIONS)[number];

export const MAX_FILTERS = 50;

export interface FilterProblem {
  path: string;
  message: string;
}

function filterProblem(item: unknown, collections: ReadonlySet<string>): string | null {
  if (typeof item !== "string") return "must be a string";
  if (item === "*") return null;
  const dot = item.indexOf(".");
  const collection = dot < 0 ? item : item.slice(0, dot);
  const operation = dot < 0 ? "" : item.slice(dot + 1);
  if (dot < 0 || (collection !== "*" && !collections.has(collection)))
    return `must be "<collection>.<operation>" with a known collection, "*" for any`;
  if (operation !== "*" && !(OPERATIONS as readonly string[]).includes(operation))
    return "the operation must be create, update, delete or *";
  return null;
}

/** Problems with a list of filters, given the collections that may be named. */
export function filterProblems(
  input: unknown,
  collections: ReadonlySet<string>,
  path = "events",
): FilterProblem[] {
  if (!Array.isArray(input)) return [{ path, message: "must be a list of event names" }];
  if (input.length === 0) return [{ path, message: "must name at least one event" }];
  if (input.length > MAX_FILTERS)
    return [{ path, message: `must hold at most ${MAX_FILTERS} events` }];
  const problems: FilterProblem[] = [];
  for (const [i, item] of input.entries()) {
    const problem = filterProblem(item, collections);
    if (problem) problems.push({ path: `${path}.${i}`, message: problem });
  }
  return problems;
}

/** Whether a change of `collection` by `operation` is one of `filters` (already checked). */
export function matchesFilters(
  filters: readonly string[],
  collection: string,
  operation: WriteOperation,
): boolean {
  for (const filter of filters) {
    if (filter === "*") return true;
    const dot = filter.indexOf(".");
    const c = filter.slice(0, dot);
    const o = filter.slice(dot + 1);
    if ((c === "*" || c === collection) && (o === "*" || o === operation)) return true;
  }
  return false;
}
