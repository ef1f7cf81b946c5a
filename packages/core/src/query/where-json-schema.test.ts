import { describe, expect, test } from "bun:test";
import type { FieldConfig } from "../schema/fields.ts";
import { resolveCollection } from "../schema/schema.ts";
import { fieldOperators, WHERE_OPERATORS } from "../schema/value-kinds.ts";
import { queryFields } from "./query-fields.ts";
import { WHERE_DESCRIPTION, whereConditionSchema } from "./where-json-schema.ts";

const ALL = WHERE_OPERATORS.join(" ");
const NOT_LIKE = WHERE_OPERATORS.filter((op) => op !== "like").join(" ");

/** What the description says each built-in type takes, in its own words. */
const STATED: Array<[string, FieldConfig, string]> = [
  ["Text fields take all of them", { type: "text" }, ALL],
  ["Text fields take all of them", { type: "email" }, ALL],
  ["Text fields take all of them", { type: "select", options: ["a"] }, ALL],
  [
    "ids take `eq neq in nin exists`",
    { type: "relationship", relationTo: "x" },
    "eq neq in nin exists",
  ],
  ["numbers and dates take all but\n`like`", { type: "integer" }, NOT_LIKE],
  ["numbers and dates take all but\n`like`", { type: "number" }, NOT_LIKE],
  ["numbers and dates take all but\n`like`", { type: "date" }, NOT_LIKE],
  ["booleans `eq neq exists`", { type: "boolean" }, "eq neq exists"],
  ["rich text, json, array and upload fields only `exists`", { type: "richtext" }, "exists"],
  ["rich text, json, array and upload fields only `exists`", { type: "json" }, "exists"],
  [
    "rich text, json, array and upload fields only `exists`",
    { type: "array", fields: {} },
    "exists",
  ],
  ["rich text, json, array and upload fields only `exists`", { type: "upload" }, "exists"],
  [
    "On a multiselect, `in` means any overlap",
    { type: "multiselect", options: ["a"] },
    "eq neq in nin exists",
  ],
];

describe("the where grammar in words", () => {
  const rows = STATED.map(([phrase, field, ops]) => [field.type, phrase, field, ops] as const);
  test.each(rows)(
    "states the operators of %s fields as the table has them",
    (_, phrase, field, ops) => {
      expect(WHERE_DESCRIPTION).toContain(phrase.replace("\n", " "));
      expect(fieldOperators(field).join(" ")).toBe(ops);
    },
  );
});

describe("a field's where condition schema", () => {
  const collection = resolveCollection({
    slug: "posts",
    fields: {
      status: { type: "select", options: ["draft", "published"] },
      tags: { type: "multiselect", options: ["a", "b"] },
      author: { type: "relationship", relationTo: "users" },
      secret: { type: "password" },
    },
  });
  const fields = queryFields(collection);
  const schema = (name: string, authSlugs: string[] = []) =>
    whereConditionSchema(fields.get(name)!, { authSlugs: new Set(authSlugs) });

  test("lists system fields first and never a write-only field", () => {
    expect([...fields.keys()]).toEqual([
      "id",
      "createdAt",
      "updatedAt",
      "status",
      "tags",
      "author",
    ]);
  });

  test("takes a select's options as the values of each operator", () => {
    const { properties } = schema("status") as { properties: Record<string, unknown> };
    expect(Object.keys(properties)).toEqual([...WHERE_OPERATORS]);
    expect(properties.gt).toEqual({ type: "string", enum: ["draft", "published"] });
  });

  test("compares a multiselect with lists, and a relationship to an auth collection with me", () => {
    const tags = schema("tags") as { properties: Record<string, { description?: string }> };
    expect(tags.properties.eq?.description).toBe("the same set, in any order");
    expect(JSON.stringify(schema("author", ["users"]))).toContain('"const":"me"');
    expect(JSON.stringify(schema("author"))).not.toContain('"const":"me"');
  });
});
