/**
 * `password`: write-only. The write pipeline hashes it before it is stored;
 * it is never returned and never named in a where, sort or select.
 */
import { z } from "zod";
import type { PasswordField } from "../fields.ts";
import type { FieldTypeDefinition } from "./types.ts";
import { atLeast, atMost, text } from "./zod-rules.ts";

export const passwordType: FieldTypeDefinition<PasswordField> = {
  type: "password",
  options: () => ({ minLength: z.int().min(1).optional() }),
  writeOnly: true,
  column: () => ({ type: "text" }),
  input: (field) =>
    text()
      .min(field.minLength ?? 8, atLeast(field.minLength ?? 8, " characters"))
      .max(1024, atMost(1024, " characters")),
  typescript: () => "string",
  annotateInput: (schema) => ({ ...schema, format: "password", writeOnly: true }),
};
