/** `text`: a string in a TEXT column, optionally bounded in length. */
import { z } from "zod";
import type { TextField } from "../fields.ts";
import type { FieldTypeDefinition } from "./types.ts";
import { atLeast, atMost, text } from "./zod-rules.ts";

export const textType: FieldTypeDefinition<TextField> = {
  type: "text",
  options: () => ({
    minLength: z.int().min(0).optional(),
    maxLength: z.int().min(1).optional(),
  }),
  indexable: true,
  column: () => ({ type: "text" }),
  input(field) {
    let s = text();
    if (field.minLength !== undefined) {
      s = s.min(field.minLength, atLeast(field.minLength, " characters"));
    }
    if (field.maxLength !== undefined) {
      s = s.max(field.maxLength, atMost(field.maxLength, " characters"));
    }
    return s;
  },
  typescript: () => "string",
};
