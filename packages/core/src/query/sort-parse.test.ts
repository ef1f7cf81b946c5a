/** `sort` and `select`: only the collection's own, readable fields. */
import { describe, expect, test } from "bun:test";
import { ValidationError } from "../http/errors.ts";
import { resolveCollection } from "../schema/schema.ts";
import { createQueryContext } from "./query-context.ts";
import { parseSelect, parseSort } from "./sort-parse.ts";

const items = resolveCollection({
  slug: "items",
  fields: { title: { type: "text" }, data: { type: "json" } },
});
const ctx = () =>
  createQueryContext({ collections: new Map([["items", items]]), authSlugs: new Set() }, {});

async function failure(run: () => Promise<unknown>): Promise<unknown> {
  return run().then(
    () => null,
    (e: unknown) => e,
  );
}

/** Names every object inherits; each was looked up on a plain object and sorted by `undefined` (a 500). */
const INHERITED = ["constructor", "-valueOf", "toString", "__proto__", "hasOwnProperty"];

describe("parseSort", () => {
  test("reads keys in order, with - for descending", async () => {
    expect(await parseSort("-createdAt,title", items, ctx())).toEqual([
      { column: "created_at", desc: true },
      { column: "title", desc: false },
    ]);
  });

  test.each(INHERITED)("regression: sort=%s is an unknown field (400), not a 500", async (key) => {
    const error = await failure(() => parseSort(key, items, ctx()));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toContain("unknown field");
  });
});

describe("parseSelect", () => {
  test.each(INHERITED.map((k) => k.replace("-", "")))(
    "select=%s is an unknown field (400)",
    async (name) => {
      const error = await failure(() => parseSelect([name], items, ctx()));
      expect(error).toBeInstanceOf(ValidationError);
    },
  );
});
