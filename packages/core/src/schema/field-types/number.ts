/** `number`: stored as NUMERIC to stay exact, returned as a JSON number. */
import { z } from "zod";
import type { NumberField } from "../fields.ts";
import type { FieldTypeDefinition } from "./types.ts";
import { atLeast, atMost, typeError } from "./zod-rules.ts";

export const numberType: FieldTypeDefinition<NumberField> = {
  type: "number",
  options: () => ({ min: z.number().optional(), max: z.number().optional() }),
  indexable: true,
  column: () => ({ type: "numeric" }),
  input(field) {
    let n = z.number(typeError("must be a number"));
    if (field.min !== undefined) n = n.min(field.min, atLeast(field.min));
    if (field.max !== undefined) n = n.max(field.max, atMost(field.max));
    return n;
  },
  // NUMERIC arrives as a string to stay exact; the API promises a JSON number.
  toJson: (stored) => Number(stored),
  typescript: () => "number",
};
