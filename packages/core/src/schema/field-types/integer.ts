/** `integer`: a whole number in an INTEGER column, so bounded to int4 whatever `min`/`max` say. */
import { z } from "zod";
import type { IntegerField } from "../fields.ts";
import type { FieldTypeDefinition } from "./types.ts";
import { atLeast, atMost, INT4_MAX, INT4_MIN, typeError } from "./zod-rules.ts";

export const integerType: FieldTypeDefinition<IntegerField> = {
  type: "integer",
  options: () => ({ min: z.number().optional(), max: z.number().optional() }),
  indexable: true,
  column: () => ({ type: "integer" }),
  input(field) {
    const min = Math.max(field.min ?? INT4_MIN, INT4_MIN);
    const max = Math.min(field.max ?? INT4_MAX, INT4_MAX);
    return z.int(typeError("must be an integer")).min(min, atLeast(min)).max(max, atMost(max));
  },
  typescript: () => "number",
};
