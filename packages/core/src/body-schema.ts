/**
 * Request bodies validated against the collection with zod: unknown keys,
 * wrong types and values Postgres would refuse (NUL bytes) are all 400s.
 * The same schemas feed the OpenAPI document through `z.toJSONSchema`.
 */
import { z } from "zod";
import { type ErrorDetail, ValidationError } from "./errors.ts";
import type { FieldConfig } from "./fields.ts";
import type { ResolvedCollection } from "./schema.ts";

const INT4_MIN = -2147483648;
const INT4_MAX = 2147483647;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

const noNul = (s: string) => !s.includes("\u0000");
const text = () => z.string().refine(noNul, "must not contain NUL bytes");

/** Postgres jsonb refuses \u0000 anywhere in a string or key. */
function jsonHasNul(value: unknown, depth = 0): boolean {
  if (depth > 64) return true;
  if (typeof value === "string") return value.includes("\u0000");
  if (Array.isArray(value)) return value.some((v) => jsonHasNul(v, depth + 1));
  if (value && typeof value === "object") {
    return Object.entries(value).some(([k, v]) => k.includes("\u0000") || jsonHasNul(v, depth + 1));
  }
  return false;
}

const json = () =>
  z
    .json()
    .refine((v) => !jsonHasNul(v), "must not contain NUL bytes or nest deeper than 64 levels");

const uuid = () => z.uuid({ message: "must be a UUID" }).transform((s) => s.toLowerCase());

export const isoDate = () =>
  z
    .string()
    .refine((s) => ISO_DATE.test(s) && !Number.isNaN(Date.parse(s)), "must be an ISO 8601 date")
    .transform((s) => new Date(s).toISOString());

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
      if (field.minLength !== undefined) s = s.min(field.minLength);
      if (field.maxLength !== undefined) s = s.max(field.maxLength);
      return s;
    }
    case "email":
      return z
        .email({ message: "must be an email address" })
        .max(320)
        .transform((s) => s.toLowerCase());
    case "password":
      return text()
        .min(field.minLength ?? 8, `must be at least ${field.minLength ?? 8} characters`)
        .max(1024);
    case "richtext":
      return json();
    case "integer":
      return z
        .int({ message: "must be an integer" })
        .min(Math.max(field.min ?? INT4_MIN, INT4_MIN))
        .max(Math.min(field.max ?? INT4_MAX, INT4_MAX));
    case "number": {
      let n = z.number({ message: "must be a number" });
      if (field.min !== undefined) n = n.min(field.min);
      if (field.max !== undefined) n = n.max(field.max);
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
        )
        .max(field.options.length)
        .refine((a) => new Set(a).size === a.length, "values must be unique");
    case "json":
      return field.schema ? withSchema(field.schema) : json();
    case "array": {
      let items = z.array(objectSchema(field.fields, "create"));
      if (field.minRows !== undefined) items = items.min(field.minRows);
      if (field.maxRows !== undefined) items = items.max(field.maxRows);
      return items;
    }
    case "relationship":
      return field.hasMany ? z.array(uuid()).max(1000) : uuid();
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
  return z.strictObject(shape);
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

function issueDetails(issue: z.core.$ZodIssue): ErrorDetail[] {
  const path = issue.path.map(String).join(".");
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({
      path: path ? `${path}.${key}` : key,
      message: "unknown field",
    }));
  }
  if (issue.code === "invalid_type" && issue.input === undefined) {
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
  const result = bodySchema(collection, mode).safeParse(data);
  if (!result.success) {
    const details = result.error.issues.flatMap(issueDetails);
    const first = details[0]!;
    const message =
      first.message === "required"
        ? `${first.path} is required`
        : `${first.path || "body"}: ${first.message}`;
    throw new ValidationError(details, message);
  }
  return result.data as Record<string, unknown>;
}
