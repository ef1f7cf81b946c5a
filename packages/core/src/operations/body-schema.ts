/**
 * Request bodies validated against the collection with zod: unknown keys,
 * wrong types and values Postgres would refuse (NUL bytes, dates out of its
 * range) are all 400s, each message saying what is wrong.
 * The same schemas feed the OpenAPI document through `z.toJSONSchema`.
 */
import { z } from "zod";
import { type ErrorDetail, ValidationError } from "../http/errors.ts";
import { checkJsonInput } from "../query/json-input.ts";
import { fieldTypeOf } from "../schema/field-types/registry.ts";
import { typeError } from "../schema/field-types/zod-rules.ts";
import type { FieldConfig } from "../schema/fields.ts";
import type { ResolvedCollection } from "../schema/schema.ts";

/** The zod schema of one field's value (non-null), from its type in the field-type table. */
export function fieldSchema(field: FieldConfig): z.ZodType {
  return fieldTypeOf(field).input(field, { objectOf: (fields) => objectSchema(fields, "create") });
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
