/**
 * zod schemas to OpenAPI 3.1 schema objects. `z.toJSONSchema` puts shared
 * and recursive parts under a local `$defs`; inside an OpenAPI document `#`
 * means the document itself, so those parts are hoisted into
 * `components.schemas` and every reference is rewritten to point there.
 */

import type { ZodType } from "zod";
import { z } from "zod";

export type JsonSchema = Record<string, unknown>;

const SELF = "#self";
/** The key of `z.json()`'s recursive definition, which is named `JsonValue` wherever it appears. */
const JSON_VALUE_KEY = JSON.stringify(
  replaceRefs(rawJsonSchema(z.json()), (r) => (r === "#" ? SELF : r)),
);

function rawJsonSchema(schema: ZodType): JsonSchema {
  const out = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io: "input",
    // Refinements and transforms have no JSON Schema form; the base type still describes the value.
    unrepresentable: "any",
  }) as JsonSchema;
  delete out.$schema;
  return out;
}

/** Deep copy of `value` with every `$ref` string passed through `map`. */
function replaceRefs<T>(value: T, map: (ref: string) => string): T {
  if (Array.isArray(value)) return value.map((v) => replaceRefs(v, map)) as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = k === "$ref" && typeof v === "string" ? map(v) : replaceRefs(v, map);
    }
    return out as T;
  }
  return value;
}

export interface SchemaComponents {
  /** Everything registered so far, for `components.schemas`. */
  readonly schemas: Record<string, JsonSchema>;
  /** Registers a named schema; the same name twice must mean the same schema. */
  add(name: string, schema: JsonSchema): void;
  /** Converts a zod schema; `owner` prefixes the names of parts hoisted from it. */
  convert(schema: ZodType, owner: string): JsonSchema;
}

export function createSchemaComponents(): SchemaComponents {
  const schemas: Record<string, JsonSchema> = {};
  const byKey = new Map<string, string>();

  const add = (name: string, schema: JsonSchema) => {
    const existing = schemas[name];
    if (existing && JSON.stringify(existing) !== JSON.stringify(schema)) {
      throw new Error(`@lucent/openapi: two different schemas are both named ${name}`);
    }
    schemas[name] = schema;
  };

  /** Hoists one definition; identical definitions (up to their own name) share a component. */
  const hoist = (def: JsonSchema, selfRefs: readonly string[], preferred: string): string => {
    const key = JSON.stringify(replaceRefs(def, (r) => (selfRefs.includes(r) ? SELF : r)));
    const known = byKey.get(key);
    if (known) return known;
    let name = key === JSON_VALUE_KEY ? "JsonValue" : preferred;
    for (let i = 2; schemas[name]; i++) name = `${preferred}${i}`;
    byKey.set(key, name);
    add(
      name,
      replaceRefs(def, (r) => (selfRefs.includes(r) ? `#/components/schemas/${name}` : r)),
    );
    return name;
  };

  const convert = (schema: ZodType, owner: string): JsonSchema => {
    const raw = rawJsonSchema(schema);
    const defs = (raw.$defs ?? {}) as Record<string, JsonSchema>;
    delete raw.$defs;
    const names = new Map<string, string>();
    for (const [local, def] of Object.entries(defs)) {
      // Definitions that point at other definitions keep their owner-based name.
      const own = `#/$defs/${local}`;
      names.set(
        own,
        hoist(
          def,
          [own],
          `${owner}${local.replace(/^_+/, "").replace(/^./, (c) => c.toUpperCase())}`,
        ),
      );
    }
    const rewrite = (r: string) => {
      const name = names.get(r);
      return name ? `#/components/schemas/${name}` : r;
    };
    for (const name of new Set(names.values())) {
      schemas[name] = replaceRefs(schemas[name]!, rewrite);
    }
    if (JSON.stringify(raw).includes('"$ref":"#"')) {
      // The schema refers to itself (a bare `z.json()`): it becomes a component of its own.
      return { $ref: `#/components/schemas/${hoist(raw, ["#"], owner)}` };
    }
    return replaceRefs(raw, rewrite);
  };

  return { schemas, add, convert };
}

/** Keywords that bound a value on the way in; responses describe shapes, not input limits. */
const BOUNDS = new Set([
  "minLength",
  "maxLength",
  "pattern",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minItems",
  "maxItems",
  "uniqueItems",
]);

/** A copy of `schema` without input bounds, walking only subschema positions. */
export function withoutBounds(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (BOUNDS.has(key)) continue;
    if (key === "properties" && value && typeof value === "object") {
      out[key] = Object.fromEntries(
        Object.entries(value as Record<string, JsonSchema>).map(([k, v]) => [k, withoutBounds(v)]),
      );
    } else if (
      (key === "anyOf" || key === "oneOf" || key === "allOf" || key === "prefixItems") &&
      Array.isArray(value)
    ) {
      out[key] = value.map((v: JsonSchema) => withoutBounds(v));
    } else if (
      (key === "items" || key === "additionalProperties" || key === "not") &&
      isSchema(value)
    ) {
      out[key] = withoutBounds(value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `schema` or null. */
export function nullable(schema: JsonSchema): JsonSchema {
  const anyOf = schema.anyOf;
  if (Array.isArray(anyOf) && anyOf.some((s: JsonSchema) => s.type === "null")) return schema;
  return { anyOf: [schema, { type: "null" }] };
}
