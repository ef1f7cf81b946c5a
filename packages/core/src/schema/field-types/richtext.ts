/** `richtext`: an editor's JSON document, kept as given. */
import type { RichtextField } from "../fields.ts";
import type { FieldTypeDefinition } from "./types.ts";
import { json } from "./zod-rules.ts";

export const richtextType: FieldTypeDefinition<RichtextField> = {
  type: "richtext",
  column: () => ({ type: "jsonb" }),
  input: () => json(),
  typescript: () => "JsonValue",
};
