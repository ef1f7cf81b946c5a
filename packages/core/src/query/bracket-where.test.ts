/** CONTRACT §4's bracket form of `where`: the object it builds, and what it refuses. */
import { describe, expect, test } from "bun:test";
import { ValidationError } from "../http/errors.ts";
import { parseListParams } from "./query-params.ts";
import { QueryText } from "./query-text.ts";

const whereOf = (query: string) => parseListParams(`http://localhost/api/posts?${query}`).where;
const t = (text: string) => new QueryText(text);

describe("bracket form", () => {
  test.each([
    ["one condition", "where[status][eq]=published", { status: { eq: t("published") } }],
    [
      "two conditions on two fields",
      "where[status][eq]=published&where[views][gt]=10",
      { status: { eq: t("published") }, views: { gt: t("10") } },
    ],
    [
      "an or of two",
      "where[or][0][author][eq]=me&where[or][1][status][eq]=published",
      { or: [{ author: { eq: t("me") } }, { status: { eq: t("published") } }] },
    ],
    [
      "a list of values",
      "where[tags][in][0]=news&where[tags][in][1]=tech",
      { tags: { in: [t("news"), t("tech")] } },
    ],
    ["a dotted path", "where[author.name][like]=ada", { "author.name": { like: t("ada") } }],
    ["an empty value", "where[title][eq]=", { title: { eq: t("") } }],
  ])("reads %s", (_name, query, expected) => {
    expect(JSON.parse(JSON.stringify(whereOf(query)))).toEqual(
      JSON.parse(JSON.stringify(expected)),
    );
  });

  test("values stay text until the field's type reads them", () => {
    const where = whereOf("where[views][gt]=10") as { views: { gt: unknown } };
    expect(where.views.gt).toBeInstanceOf(QueryText);
    expect((where.views.gt as QueryText).text).toBe("10");
  });

  test.each([
    ["JSON and brackets together", `where=${encodeURIComponent("{}")}&where[a][eq]=1`],
    ["a value and an object at one place", "where[a]=1&where[a][eq]=2"],
    ["an object and then a value at one place", "where[a][eq]=2&where[a]=1"],
    ["the same name twice", "where[a][eq]=1&where[a][eq]=2"],
    ["empty brackets", "where[a][]=1"],
    ["no brackets after where[", "where[a=1"],
    ["text after the brackets", "where[a][eq]x=1"],
    ["a gap in a list", "where[tags][in][0]=a&where[tags][in][2]=b"],
    ["a NUL byte", "where[a][eq]=x%00y"],
    ["nesting past any limit", `${"where"}${"[a]".repeat(41)}=1`],
  ])("refuses %s with a 400", (_name, query) => {
    expect(() => whereOf(query)).toThrow(ValidationError);
  });

  test("`__proto__` is a name like any other", () => {
    const where = whereOf("where[__proto__][eq]=1") as Record<string, unknown>;
    expect(Object.keys(where)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).eq).toBeUndefined();
  });
});
