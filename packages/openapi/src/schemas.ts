/**
 * Component schemas of one collection: the document as responses carry it,
 * the create and update inputs (converted from the zod schemas core validates
 * bodies with), the list envelope and the where filter.
 */
import type { FieldConfig, ResolvedCollection, ResolvedField } from "@lucent/core";
import { bodySchema, fieldSchema, fieldTypeOf } from "@lucent/core";
import { type JsonSchema, nullable, type SchemaComponents, withoutBounds } from "./json-schema.ts";
import { collectionNames, ref } from "./naming.ts";
import { whereSchema } from "./where-schema.ts";

const UUID: JsonSchema = { type: "string", format: "uuid" };
const DATE_TIME: JsonSchema = { type: "string", format: "date-time" };

export interface CollectionSchemaInput {
  collection: ResolvedCollection;
  collections: ReadonlyMap<string, ResolvedCollection>;
  components: SchemaComponents;
}

/**
 * A field's value in a response: what its type says (relationships may be
 * populated, uploads are stored files), or else its input schema without the
 * input bounds.
 */
function responseValue(
  field: FieldConfig,
  input: CollectionSchemaInput,
  owner: string,
): JsonSchema {
  const own = fieldTypeOf(field).responseSchema?.(field, {
    ref,
    documentRef: (slug) => ref(collectionNames(slug).doc),
  });
  return own ?? withoutBounds(input.components.convert(fieldSchema(field), owner));
}

function described(schema: JsonSchema, field: ResolvedField): JsonSchema {
  return field.config.description ? { ...schema, description: field.config.description } : schema;
}

/** The document: `id` always, every other field optional (select and field read access may omit it). */
function documentSchema(input: CollectionSchemaInput): JsonSchema {
  const { collection } = input;
  const names = collectionNames(collection.slug);
  const properties: Record<string, JsonSchema> = { id: UUID };
  for (const field of collection.fields) {
    // Write-only fields (passwords) are never returned.
    if (fieldTypeOf(field.config).writeOnly) continue;
    // Columns are nullable even for required fields, so a field added later reads as null on old rows.
    properties[field.name] = described(
      nullable(responseValue(field.config, input, `${names.doc}${field.name}`)),
      field,
    );
  }
  if (collection.timestamps) {
    properties.createdAt = DATE_TIME;
    properties.updatedAt = DATE_TIME;
  }
  return { type: "object", properties, required: ["id"] };
}

/** Notes on the input schema converted from zod, for what JSON Schema cannot say. */
function annotateInput(
  schema: JsonSchema,
  collection: ResolvedCollection,
  mode: "create" | "update",
): JsonSchema {
  const properties = { ...(schema.properties as Record<string, JsonSchema> | undefined) };
  for (const field of collection.fields) {
    const prop = properties[field.name];
    if (!prop) continue;
    let next = described(prop, field);
    next = fieldTypeOf(field.config).annotateInput?.(next, field.config) ?? next;
    // Core fills defaults on create. Said in words: generators read `default` as "always present".
    const fallback = field.config.defaultValue;
    if (mode === "create" && fallback !== undefined && typeof fallback !== "function") {
      next = {
        ...next,
        description: `${next.description ? `${next.description}. ` : ""}Defaults to ${JSON.stringify(fallback)}.`,
      };
    }
    properties[field.name] = next;
  }
  return { ...schema, properties };
}

function listSchema(doc: string): JsonSchema {
  return {
    type: "object",
    properties: {
      docs: { type: "array", items: ref(doc) },
      totalDocs: { type: "integer", minimum: 0 },
      page: { type: "integer", minimum: 1 },
      limit: { type: "integer", minimum: 1, maximum: 100 },
      totalPages: { type: "integer", minimum: 0 },
      hasNextPage: { type: "boolean" },
      hasPrevPage: { type: "boolean" },
    },
    required: ["docs", "totalDocs", "page", "limit", "totalPages", "hasNextPage", "hasPrevPage"],
  };
}

/** Registers the collection's schemas: document, inputs, list envelope, where. */
export function addCollectionSchemas(input: CollectionSchemaInput): void {
  const { collection, components } = input;
  const names = collectionNames(collection.slug);
  components.add(names.doc, documentSchema(input));
  for (const mode of ["create", "update"] as const) {
    const converted = components.convert(bodySchema(collection, mode), names[mode]);
    components.add(names[mode], annotateInput(converted, collection, mode));
  }
  components.add(names.list, listSchema(names.doc));
  components.add(names.where, whereSchema(collection, input.collections));
}
