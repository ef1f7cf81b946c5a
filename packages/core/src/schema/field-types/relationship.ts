/**
 * `relationship`: the id of a document of `relationTo` (UUID with a foreign
 * key), or with `hasMany` a list of ids (UUID[], GIN-indexed, no key).
 * Dotted where paths and `"me"` are the where parser's; `depth` is the read
 * pipeline's.
 */
import { z } from "zod";
import type { RelationshipField } from "../fields.ts";
import type { FieldTypeDefinition, JsonSchema } from "./types.ts";
import { atMost, typeError, uuid } from "./zod-rules.ts";

const UUID: JsonSchema = { type: "string", format: "uuid" };

export const relationshipType: FieldTypeDefinition<RelationshipField> = {
  type: "relationship",
  options: () => ({
    relationTo: z.string().min(1),
    hasMany: z.boolean().optional(),
    onDelete: z.enum(["set null", "restrict", "cascade"]).optional(),
  }),
  indexable: true,
  column(field) {
    if (field.hasMany) return { type: "uuid[]" };
    const onDelete = field.onDelete ?? (field.required ? "restrict" : "set null");
    return { type: "uuid", references: { collection: field.relationTo, onDelete } };
  },
  input: (field) =>
    field.hasMany
      ? z.array(uuid(), typeError("must be an array of UUIDs")).max(1000, atMost(1000, " ids"))
      : uuid(),
  typescript(field, { mode, documentType }) {
    const one = mode === "doc" ? `string | ${documentType(field.relationTo)}` : "string";
    return field.hasMany ? `Array<${one}>` : one;
  },
  whereTypescript: (field) =>
    field.hasMany ? "Condition<string | string[]>" : "Condition<string>",
  responseSchema(field, { documentRef }) {
    // An id at depth 0, or for a related document the caller may not read; the document otherwise.
    const one = { oneOf: [UUID, documentRef(field.relationTo)] };
    return field.hasMany ? { type: "array", items: one } : one;
  },
  whereSchema: (field, { authSlugs }) =>
    authSlugs.has(field.relationTo)
      ? // "me" stands for the caller's id on a relationship to an auth collection.
        { anyOf: [UUID, { type: "string", const: "me", description: "the caller's user id" }] }
      : undefined,
};
