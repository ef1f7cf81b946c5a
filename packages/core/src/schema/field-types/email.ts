/** `email`: an address stored lower-case, so equality and uniqueness ignore case. */
import { z } from "zod";
import type { EmailField } from "../fields.ts";
import type { FieldTypeDefinition } from "./types.ts";
import { atMost } from "./zod-rules.ts";

export const emailType: FieldTypeDefinition<EmailField> = {
  type: "email",
  indexable: true,
  column: () => ({ type: "text" }),
  input: () =>
    z
      .email({ message: "must be an email address" })
      .max(320, atMost(320, " characters"))
      .transform((s) => s.toLowerCase()),
  // Stored lower-case, so a filter is too; a partial address is still a valid filter value.
  queryValue: (_field, value) => String(value).toLowerCase(),
  typescript: () => "string",
};
