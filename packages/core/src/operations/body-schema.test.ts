/** Request bodies per field type: what each accepts, what each refuses, and the details it gives. */
import { describe, expect, test } from "bun:test";
import { z } from "zod";
import { ValidationError } from "../http/errors.ts";
import type { FieldConfig } from "../schema/fields.ts";
import { resolveCollection } from "../schema/schema.ts";
import { validateBody } from "./body-schema.ts";

const UUID = "01900000-0000-7000-8000-00000000000A";

const fields: Record<string, FieldConfig> = {
  text: { type: "text", minLength: 2, maxLength: 5 },
  email: { type: "email" },
  password: { type: "password" },
  richtext: { type: "richtext" },
  integer: { type: "integer", min: 0, max: 10 },
  number: { type: "number", min: -1, max: 1 },
  boolean: { type: "boolean" },
  date: { type: "date" },
  select: { type: "select", options: ["a", "b"] },
  multiselect: { type: "multiselect", options: ["x", "y"] },
  json: { type: "json" },
  shaped: { type: "json", schema: z.object({ n: z.number() }) },
  array: { type: "array", fields: { label: { type: "text", required: true } }, maxRows: 2 },
  relationship: { type: "relationship", relationTo: "things" },
  many: { type: "relationship", relationTo: "things", hasMany: true },
  upload: { type: "upload" },
  required: { type: "text", required: true },
  defaulted: { type: "text", required: true, defaultValue: "d" },
};
const things = resolveCollection({ slug: "things", fields });
const create = (data: Record<string, unknown>) =>
  validateBody(things, "create", { required: "r", ...data });

const accepted: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
  ["text within its lengths", { text: "abc" }, { text: "abc" }],
  ["an email, lower-cased", { email: "A@Example.COM" }, { email: "a@example.com" }],
  ["a password of 8 characters", { password: "12345678" }, { password: "12345678" }],
  [
    "richtext as any JSON",
    { richtext: { type: "doc", content: [] } },
    { richtext: { type: "doc", content: [] } },
  ],
  ["an integer within bounds", { integer: 10 }, { integer: 10 }],
  ["a number within bounds", { number: -0.5 }, { number: -0.5 }],
  ["a boolean", { boolean: false }, { boolean: false }],
  [
    "an ISO date, normalised to UTC",
    { date: "2024-01-01T02:00:00+02:00" },
    { date: "2024-01-01T00:00:00.000Z" },
  ],
  ["a date without a time", { date: "2024-02-29" }, { date: "2024-02-29T00:00:00.000Z" }],
  ["a select option", { select: "b" }, { select: "b" }],
  ["a multiselect set", { multiselect: ["y", "x"] }, { multiselect: ["y", "x"] }],
  ["json of any shape", { json: [1, "a", null] }, { json: [1, "a", null] }],
  ["json matching its schema", { shaped: { n: 1 } }, { shaped: { n: 1 } }],
  ["array items", { array: [{ label: "a" }] }, { array: [{ label: "a" }] }],
  ["a relationship id, lower-cased", { relationship: UUID }, { relationship: UUID.toLowerCase() }],
  ["hasMany ids", { many: [UUID] }, { many: [UUID.toLowerCase()] }],
  [
    "null for optional fields",
    { text: null, upload: null, many: null },
    { text: null, upload: null, many: null },
  ],
  ["no value for a required field with a default", {}, {}],
];

const rejected: Array<[string, Record<string, unknown>, string]> = [
  ["text too short", { text: "a" }, "text"],
  ["text too long", { text: "abcdef" }, "text"],
  ["a number for text", { text: 12 }, "text"],
  ["a NUL byte in text", { text: "a\u0000" }, "text"],
  ["a bad email", { email: "a@" }, "email"],
  ["a short password", { password: "1234567" }, "password"],
  ["a NUL byte in richtext", { richtext: { "k\u0000": 1 } }, "richtext"],
  ["an integer above max", { integer: 11 }, "integer"],
  ["a fraction for an integer", { integer: 1.5 }, "integer"],
  ["a string for an integer", { integer: "1" }, "integer"],
  ["a number below min", { number: -2 }, "number"],
  ["Infinity for a number", { number: Number.POSITIVE_INFINITY }, "number"],
  ["NaN for a number", { number: Number.NaN }, "number"],
  ["a string for a boolean", { boolean: "true" }, "boolean"],
  ["a bad date", { date: "tomorrow" }, "date"],
  ["an impossible date", { date: "2024-13-01" }, "date"],
  ["a select value outside the options", { select: "c" }, "select"],
  ["a string for a multiselect", { multiselect: "x" }, "multiselect"],
  ["a repeated multiselect value", { multiselect: ["x", "x"] }, "multiselect"],
  ["json breaking its schema", { shaped: { n: "1" } }, "shaped.n"],
  ["an array item missing a required field", { array: [{}] }, "array.0.label"],
  ["an array item with an unknown key", { array: [{ label: "a", x: 1 }] }, "array.0.x"],
  ["too many array rows", { array: [{ label: "a" }, { label: "b" }, { label: "c" }] }, "array"],
  ["a bad relationship id", { relationship: "1" }, "relationship"],
  ["a hasMany given as one id", { many: UUID }, "many"],
  ["an upload in JSON other than { key }", { upload: { key: "k", url: "/x" } }, "upload.url"],
  ["an upload in JSON as a string", { upload: "file.png" }, "upload"],
  ["null for a required field", { required: null }, "required"],
  ["an unknown key", { nope: 1 }, "nope"],
  ["id", { id: UUID }, "id"],
  ["createdAt", { createdAt: "2024-01-01" }, "createdAt"],
];

describe("validateBody", () => {
  test.each(accepted)("accepts %s", (_name, data, expected) => {
    expect(create(data)).toEqual({ required: "r", ...expected });
  });

  test.each(rejected)("rejects %s", (_name, data, path) => {
    let error: unknown;
    try {
      create(data);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details!.map((d) => d.path)).toContain(path);
  });

  test("a missing required field is named in the message", () => {
    expect(() => validateBody(things, "create", {})).toThrow("required is required");
  });

  test("an update may leave required fields out", () => {
    expect(validateBody(things, "update", { text: "ab" })).toEqual({ text: "ab" });
  });

  test.each([
    ["an array", []],
    ["a string", "x"],
    ["null", null],
  ])("a body that is %s is refused", (_name, data) => {
    expect(() => validateBody(things, "create", data)).toThrow("the body must be a JSON object");
  });
});

describe("messages say what is wrong", () => {
  const rated = resolveCollection({
    slug: "rated",
    fields: {
      rating: { type: "number", max: 5 },
      views: { type: "integer", min: 0 },
      title: { type: "text", maxLength: 3 },
      when: { type: "date" },
    },
  });
  const details = (data: Record<string, unknown>) => {
    try {
      validateBody(rated, "create", data);
    } catch (e) {
      return (e as ValidationError).details;
    }
    return undefined;
  };

  test.each([
    [
      "regression: a number over its max (said: must be a number)",
      { rating: 6 },
      "must be at most 5",
    ],
    ["regression: a string for a number (said: is required)", { rating: "4" }, "must be a number"],
    ["an integer under its min", { views: -1 }, "must be at least 0"],
    ["a string for an integer", { views: "1" }, "must be an integer"],
    ["text over its maxLength", { title: "abcd" }, "must be at most 3 characters"],
    [
      "regression: a date Postgres cannot hold (was a 500)",
      { when: "9999-12-31T23:59:59.999999999-23:59" },
      "must be an ISO 8601 date between 0100-01-01 and 9999-12-31",
    ],
  ])("%s", (_name, data, message) => {
    expect(details(data)).toEqual([{ path: Object.keys(data)[0]!, message }]);
  });

  test("a missing or null required value is named as required", () => {
    expect(() => validateBody(things, "create", { required: null })).toThrow(
      "required is required",
    );
  });
});

describe("bodies that cost more than they carry", () => {
  const deep = (levels: number) => JSON.parse(`${"[".repeat(levels)}${"]".repeat(levels)}`);

  test("regression: json nested 10,000 deep is a 400 (was a RangeError, a 500)", () => {
    let error: unknown;
    try {
      create({ json: deep(10_000) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details).toEqual([
      { path: `json${".0".repeat(63)}`, message: "must not nest deeper than 64 levels" },
    ]);
  });

  test("regression: thousands of unknown keys list 20 problems and count the rest", () => {
    const data = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, 1]));
    let error: unknown;
    try {
      create(data);
    } catch (e) {
      error = e;
    }
    const { details, message } = error as ValidationError;
    expect(details).toHaveLength(20);
    expect(message).toBe("k0: unknown field (and 4980 more problems not listed)");
  });
});
