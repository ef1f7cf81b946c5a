/** REST query strings: each parameter once, numbers strictly, JSON strictly, no NUL bytes. */
import { describe, expect, test } from "bun:test";
import { ValidationError } from "../http/errors.ts";
import { parseDocParams, parseListParams } from "./query-params.ts";

const url = (query: string) => `http://localhost/api/posts?${query}`;

describe("parseListParams", () => {
  test.each([
    ["nothing", "", {}],
    ["page and limit", "page=2&limit=500", { page: 2, limit: 500 }],
    ["depth 0", "depth=0", { depth: 0 }],
    ["depth above the cap (capped later)", "depth=5", { depth: 5 }],
    ["sort as given", "sort=-createdAt,title", { sort: "-createdAt,title" }],
    ["select split and trimmed", "select=title,%20status", { select: ["title", "status"] }],
    ["where as JSON", `where=${encodeURIComponent('{"a":{"eq":1}}')}`, { where: { a: { eq: 1 } } }],
  ])("reads %s", (_name, query, expected) => {
    expect(parseListParams(url(query))).toEqual(expected);
  });

  test.each([
    ["page=0"],
    ["page=-1"],
    ["page=1.5"],
    ["page=abc"],
    ["page=1e3"],
    ["page="],
    ["page=%201"],
    ["limit=0"],
    ["limit=0x10"],
    ["depth=-1"],
    ["depth=1.0"],
    ["depth="],
    ["page=1&page=1"],
    ["sort=a&sort=b"],
    ["where={"],
    ["where="],
    ["select=a,,b"],
    ["select="],
    ["sort=title%00"],
    ["where=%22a%00%22"],
    ["unknown=1"],
    ["%00=1"],
    ["Page=1"],
  ])("rejects %s", (query) => {
    expect(() => parseListParams(url(query))).toThrow(ValidationError);
  });
});

test("regression: a limit or depth of ten or more digits is read (and capped later), not refused", () => {
  expect(parseListParams(url("limit=10000000000&depth=99999999999"))).toEqual({
    limit: 10_000_000_000,
    depth: 99_999_999_999,
  });
});

test("a page beyond the safe integers is refused", () => {
  expect(() => parseListParams(url("page=99999999999999999999"))).toThrow(ValidationError);
});

describe("parseDocParams", () => {
  test("reads depth and select", () => {
    expect(parseDocParams(url("depth=1&select=title"))).toEqual({ depth: 1, select: ["title"] });
  });

  test.each([["page=1"], ["where={}"], ["sort=title"], ["limit=1"]])(
    "rejects list-only %s",
    (query) => {
      expect(() => parseDocParams(url(query))).toThrow(ValidationError);
    },
  );
});
