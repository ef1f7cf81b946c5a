/**
 * REST query strings to operation arguments. Each parameter may appear
 * once; unknown ones, malformed numbers, bad JSON and NUL bytes are 400s.
 * `where` comes as JSON or in bracket form (bracket-where.ts), not both.
 */
import { invalid } from "../http/errors.ts";
import { bracketWhere, isBracketWhere } from "./bracket-where.ts";
import { parseJsonInput } from "./json-input.ts";

const LIST_PARAMS = new Set(["page", "limit", "sort", "where", "depth", "select"]);
const DOC_PARAMS = new Set(["depth", "select"]);
const INTEGER = /^[0-9]{1,32}$/;

export interface ListParams {
  page?: number;
  limit?: number;
  sort?: string;
  where?: unknown;
  depth?: number;
  select?: string[];
}

function integer(name: string, value: string, min: number): number {
  const rule = min > 0 ? "must be a positive integer" : "must be a non-negative integer";
  if (!INTEGER.test(value)) throw invalid(name, rule);
  const n = Number(value);
  if (n < min) throw invalid(name, rule);
  // A huge limit or depth is capped by the operation (CONTRACT §4), not refused.
  if (name !== "page") return Math.min(n, Number.MAX_SAFE_INTEGER);
  if (!Number.isSafeInteger(n)) throw invalid(name, "is too large");
  return n;
}

function parse(search: URLSearchParams, allowed: ReadonlySet<string>): ListParams {
  const out: ListParams = {};
  const seen = new Set<string>();
  const brackets: Array<[string, string]> = [];
  for (const [name, value] of search) {
    if (allowed.has("where") && isBracketWhere(name)) {
      if (value.includes("\u0000")) throw invalid(name, "must not contain NUL bytes");
      brackets.push([name, value]);
      continue;
    }
    if (!allowed.has(name))
      throw invalid(name, `unknown query parameter (${[...allowed].join(", ")})`);
    if (seen.has(name)) throw invalid(name, "may appear only once");
    seen.add(name);
    if (value.includes("\u0000")) throw invalid(name, "must not contain NUL bytes");
    switch (name) {
      case "page":
        out.page = integer(name, value, 1);
        break;
      case "limit":
        out.limit = integer(name, value, 1);
        break;
      case "depth":
        out.depth = integer(name, value, 0);
        break;
      case "sort":
        out.sort = value;
        break;
      case "select":
        out.select = value.split(",").map((s) => s.trim());
        if (out.select.some((s) => !s)) throw invalid(name, "empty field name");
        break;
      case "where":
        if (value.length > 100_000) throw invalid(name, "is too long");
        out.where = parseJsonInput(value, name);
        break;
    }
  }
  if (brackets.length > 0) {
    if (out.where !== undefined)
      throw invalid("where", "give where as JSON or in bracket form, not both");
    out.where = bracketWhere(brackets);
  }
  return out;
}

export function parseListParams(url: string): ListParams {
  return parse(searchOf(url), LIST_PARAMS);
}

export function parseDocParams(url: string): Pick<ListParams, "depth" | "select"> {
  return parse(searchOf(url), DOC_PARAMS);
}

function searchOf(url: string): URLSearchParams {
  const q = url.indexOf("?");
  return new URLSearchParams(q === -1 ? "" : url.slice(q + 1));
}
