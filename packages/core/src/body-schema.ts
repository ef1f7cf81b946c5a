/**
 * Request bodies validated against the collection with zod: unknown keys,
 * wrong types and values Postgres would refuse (NUL bytes, dates out of its
 * range) are all 400s, each message saying what is wrong.
 * The same schemas feed the OpenAPI document through `z.toJSONSchema`.
 */
import { z } from "zod";
import { type ErrorDetail, ValidationError } from "./errors.ts";
import type { FieldConfig } from "./fields.ts";
import { DATE_RULE, parseIsoDate } from "./iso-date.ts";
import { checkJsonInput } from "./json-input.ts";
import type { ResolvedCollection } from "./schema.ts";

const INT4_MIN = -2147483648;
const INT4_MAX = 2147483647;

/**
 * A message for a wrong type only: a schema-level `message` would also
 * replace the messages of its checks ("must be at most 5" read "must be a number").
 */
const typeError = (message: string) => ({
  error: (issue: { code: string }) => (issue.code === "invalid_type" ? message : undefined),
});
const atLeast = (n: number, unit = "") => `must be at least ${n}${unit}`;
const atMost = (n: number, unit = "") => `must be at most ${n}${unit}`;

// NUL bytes and nesting depth are checked once for the whole body (json-input.ts).
const text = () => z.string(typeError("must be a string"));
const json = () => z.json(typeError("must be JSON"));

const uuid = () => z.uuid({ message: "must be a UUID" }).transform((s) => s.toLowerCase());

export const isoDate = () =>
  z
    .string(typeError(DATE_RULE))
    .refine((s) => parseIsoDate(s) !== undefined, DATE_RULE)
    .transform((s) => parseIsoDate(s)!);

/** A json field with a user schema: JSON first, then the user's rules, issues kept. */
function withSchema(schema: z.ZodType) {
  return json().transform((value, ctx) => {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      ctx.addIssue({ code: "custom", message: issue.message, path: issue.path.map(String) });
    }
    return z.NEVER;
  });
}

/** The zod schema of one field's value (non-null). */
export function fieldSchema(field: FieldConfig): z.ZodType {
  switch (field.type) {
    case "text": {
      let s = text();
      if (field.minLength !== undefined) {
        s = s.min(field.minLength, atLeast(field.minLength, " characters"));
      }
      if (field.maxLength !== undefined) {
        s = s.max(field.maxLength, atMost(field.maxLength, " characters"));
      }
      return s;
    }
    case "email":
      return z
        .email({ message: "must be an email address" })
        .max(320, atMost(320, " characters"))
        .transform((s) => s.toLowerCase());
    case "password":
      return text()
        .min(field.minLength ?? 8, atLeast(field.minLength ?? 8, " characters"))
        .max(1024, atMost(1024, " characters"));
    case "richtext":
      return json();
    case "integer": {
      const min = Math.max(field.min ?? INT4_MIN, INT4_MIN);
      const max = Math.min(field.max ?? INT4_MAX, INT4_MAX);
      return z.int(typeError("must be an integer")).min(min, atLeast(min)).max(max, atMost(max));
    }
    case "number": {
      let n = z.number(typeError("must be a number"));
      if (field.min !== undefined) n = n.min(field.min, atLeast(field.min));
      if (field.max !== undefined) n = n.max(field.max, atMost(field.max));
      return n;
    }
    case "boolean":
      return z.boolean({ message: "must be true or false" });
    case "date":
      return isoDate();
    case "select":
      return z.enum(field.options as [string, ...string[]], {
        message: `must be one of ${field.options.join(", ")}`,
      });
    case "multiselect":
      return z
        .array(
          z.enum(field.options as [string, ...string[]], {
            message: `must be one of ${field.options.join(", ")}`,
          }),
          typeError("must be an array of options"),
        )
        .max(field.options.length, atMost(field.options.length, " values"))
        .refine((a) => new Set(a).size === a.length, "values must be unique");
    case "json":
      return field.schema ? withSchema(field.schema) : json();
    case "array": {
      let items = z.array(objectSchema(field.fields, "create"), typeError("must be an array"));
      if (field.minRows !== undefined)
        items = items.min(field.minRows, atLeast(field.minRows, " rows"));
      if (field.maxRows !== undefined)
        items = items.max(field.maxRows, atMost(field.maxRows, " rows"));
      return items;
    }
    case "relationship":
      return field.hasMany
        ? z.array(uuid(), typeError("must be an array of UUIDs")).max(1000, atMost(1000, " ids"))
        : uuid();
    case "upload":
      // Files arrive as multipart; a JSON body may only clear the field (null).
      return z.never({ message: "send the file as multipart/form-data" });
  }
}

function objectSchema(fields: Record<string, FieldConfig>, mode: "create" | "update") {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, field] of Object.entries(fields)) {
    const value = fieldSchema(field);
    const hasDefault = field.defaultValue !== undefined;
    if (mode === "create" && field.required && !hasDefault) shape[name] = value;
    else if (field.required) shape[name] = value.optional();
    else shape[name] = value.nullable().optional();
  }
  return z.strictObject(shape, typeError("must be an object"));
}

const cache = new WeakMap<ResolvedCollection, Record<"create" | "update", z.ZodType>>();

export function bodySchema(collection: ResolvedCollection, mode: "create" | "update"): z.ZodType {
  let entry = cache.get(collection);
  if (!entry) {
    entry = {
      create: objectSchema(collection.config.fields, "create"),
      update: objectSchema(collection.config.fields, "update"),
    };
    cache.set(collection, entry);
  }
  return entry[mode];
}

/** Whether `data` has no value (or null) at `path`: zod 4 issues do not carry the input. */
function missingAt(data: unknown, path: readonly PropertyKey[]): boolean {
  let current = data;
  for (const key of path) {
    if (typeof current !== "object" || current === null || !Object.hasOwn(current, key)) {
      return true;
    }
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current === undefined || current === null;
}

function issueDetails(issue: z.core.$ZodIssue, data: unknown): ErrorDetail[] {
  const path = issue.path.map(String).join(".");
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({
      path: path ? `${path}.${key}` : key,
      message: "unknown field",
    }));
  }
  if (issue.code === "invalid_type" && missingAt(data, issue.path)) {
    return [{ path, message: "required" }];
  }
  return [{ path, message: issue.message }];
}

/** Parses a body; a failure is a ValidationError naming each problem. */
export function validateBody(
  collection: ResolvedCollection,
  mode: "create" | "update",
  data: unknown,
): Record<string, unknown> {
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new ValidationError([{ path: "", message: "the body must be a JSON object" }]);
  }
  checkJsonInput(data);
  const result = bodySchema(collection, mode).safeParse(data);
  if (!result.success) {
    const details = result.error.issues.flatMap((issue) => issueDetails(issue, data));
    const first = details[0]!;
    const message =
      first.message === "required"
        ? `${first.path} is required`
        : `${first.path || "body"}: ${first.message}`;
    throw new ValidationError(details, message);
  }
  return result.data as Record<string, unknown>;
}
