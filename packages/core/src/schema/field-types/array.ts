/** `array`: rows of item fields, each validated like a document's, kept as one JSONB value. */
import { z } from "zod";
import type { ArrayField } from "../fields.ts";
import type { FieldTypeDefinition } from "./types.ts";
import { atLeast, atMost, typeError } from "./zod-rules.ts";

export const arrayType: FieldTypeDefinition<ArrayField> = {
  type: "array",
  options: ({ itemFields }) => ({
    fields: itemFields,
    minRows: z.int().min(0).optional(),
    maxRows: z.int().min(1).optional(),
  }),
  // Items are one level deep: an array of arrays would be a document of its own.
  inArray: false,
  column: () => ({ type: "jsonb" }),
  input(field, { objectOf }) {
    let items = z.array(objectOf(field.fields), typeError("must be an array"));
    if (field.minRows !== undefined) {
      items = items.min(field.minRows, atLeast(field.minRows, " rows"));
    }
    if (field.maxRows !== undefined) {
      items = items.max(field.maxRows, atMost(field.maxRows, " rows"));
    }
    return items;
  },
  typescript(field, { valueType }) {
    const items = Object.entries(field.fields)
      .map(
        ([name, f]) =>
          `${name}${f.required ? "" : "?"}: ${valueType(f)}${f.required ? "" : " | null"}`,
      )
      .join("; ");
    return `Array<{ ${items} }>`;
  },
};
