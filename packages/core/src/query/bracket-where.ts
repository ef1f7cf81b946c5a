/**
 * `where` in bracket form (CONTRACT §4), as generated clients send a deep
 * object: `where[status][eq]=published`, `where[or][0][author][eq]=me`,
 * `where[tags][in][0]=news`. The parameters build the same object JSON would
 * give, with each value a `QueryText` read later by its field's type. An
 * object whose keys are exactly 0..n-1 is a list. Names that clash (a value
 * and an object at one place), gaps in a list, and empty brackets are 400s.
 */
import { invalid } from "../http/errors.ts";
import { QueryText } from "./query-text.ts";
import { MAX_IN_VALUES } from "./where-condition.ts";

/** More parameters than one `where` could use (100 conditions, 1,000 values each is far above). */
const MAX_PARAMS = 2_000;
const MAX_SEGMENTS = 40;
const NAME = /^where((?:\[[^[\]]*\])+)$/;
const INDEX = /^(?:0|[1-9][0-9]{0,5})$/;

type Node = { [key: string]: Node | QueryText };

/** Whether a query parameter name is in bracket form. */
export const isBracketWhere = (name: string): boolean => name.startsWith("where[");

function segmentsOf(name: string): string[] {
  const match = NAME.exec(name);
  if (!match) throw invalid(name, "must be where[field][operator]=value (bracket form)");
  const segments = match[1]!.slice(1, -1).split("][");
  if (segments.some((s) => s === "")) throw invalid(name, "has an empty []");
  if (segments.length > MAX_SEGMENTS) throw invalid(name, "is nested too deep");
  return segments;
}

/** Objects keyed 0..n-1 become lists; anything else stays an object. */
function toValue(node: Node | QueryText, path: string): unknown {
  if (node instanceof QueryText) return node;
  const keys = Object.keys(node);
  const indexed = keys.filter((k) => INDEX.test(k));
  if (indexed.length > 0 && indexed.length === keys.length) {
    if (keys.length > MAX_IN_VALUES) throw invalid(path, `at most ${MAX_IN_VALUES} values`);
    const list: unknown[] = [];
    for (let i = 0; i < keys.length; i++) {
      const item = node[String(i)];
      if (item === undefined)
        throw invalid(`${path}[${i}]`, "missing: list indexes run 0, 1, 2, ...");
      list.push(toValue(item, `${path}[${i}]`));
    }
    return list;
  }
  // Prototype-free, like the tree it came from: `__proto__` is a name like any other.
  const out: Record<string, unknown> = Object.create(null);
  for (const key of keys) out[key] = toValue(node[key]!, `${path}[${key}]`);
  return out;
}

/** The `where` object of every bracket-form parameter; undefined when there is none. */
export function bracketWhere(params: ReadonlyArray<readonly [string, string]>): unknown {
  if (params.length === 0) return undefined;
  if (params.length > MAX_PARAMS)
    throw invalid("where", `at most ${MAX_PARAMS} bracket parameters`);
  const root: Node = Object.create(null);
  for (const [name, value] of params) {
    const segments = segmentsOf(name);
    let node = root;
    for (const [i, segment] of segments.entries()) {
      const last = i === segments.length - 1;
      const existing = Object.hasOwn(node, segment) ? node[segment] : undefined;
      if (last) {
        if (existing !== undefined) throw invalid(name, "is given twice, or also as an object");
        node[segment] = new QueryText(value);
        break;
      }
      if (existing instanceof QueryText) throw invalid(name, "is also given as a value");
      const next: Node = existing ?? Object.create(null);
      node[segment] = next;
      node = next;
    }
  }
  return toValue(root, "where");
}
