/**
 * `multiselect`: a set of options in a TEXT[] column (GIN-indexed). In a
 * where, `in` is overlap, `nin` no overlap, and `eq`/`neq` the same set.
 */
import { z } from "zod";
import type { MultiselectField } from "../fields.ts";
import type { FieldTypeDefinition } from "./types.ts";
import { atMost, oneOf, optionList, typeError } from "./zod-rules.ts";

const union = (options: readonly string[]) => options.map((s) => JSON.stringify(s)).join(" | ");

export const multiselectType: FieldTypeDefinition<MultiselectField> = {
  type: "multiselect",
  options: () => ({ options: optionList() }),
  column: () => ({ type: "text[]" }),
  input: (field) =>
    z
      .array(oneOf(field.options), typeError("must be an array of options"))
      .max(field.options.length, atMost(field.options.length, " values"))
      .refine((a) => new Set(a).size === a.length, "values must be unique"),
  queryValue(field, value, reject) {
    if (!field.options.includes(value as string)) {
      reject(`must be one of ${field.options.join(", ")}`);
    }
    return value;
  },
  typescript: (field) => `Array<${union(field.options)}>`,
  whereTypescript: (field) => `Condition<${union(field.options)} | Array<${union(field.options)}>>`,
  whereSchema: (field) => ({ type: "string", enum: [...field.options] }),
};
