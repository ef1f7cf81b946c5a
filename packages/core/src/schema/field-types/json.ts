/** `json`: any JSON value, checked against the field's own zod `schema` when it has one. */
import { z } from "zod";
import type { JsonField } from "../fields.ts";
import type { FieldTypeDefinition } from "./types.ts";
import { json } from "./zod-rules.ts";

/** JSON first, then the user's rules, their issues kept. */
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

export const jsonType: FieldTypeDefinition<JsonField> = {
  type: "json",
  options: () => ({
    schema: z.custom((v) => v instanceof z.ZodType, "must be a zod schema").optional(),
  }),
  column: () => ({ type: "jsonb" }),
  input: (field) => (field.schema ? withSchema(field.schema) : json()),
  typescript: () => "JsonValue",
};
