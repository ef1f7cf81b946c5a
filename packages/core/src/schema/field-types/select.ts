/** `select`: one of a fixed list of strings; a filter on another value is a 400, not an empty list. */
import type { SelectField } from "../fields.ts";
import type { FieldTypeDefinition } from "./types.ts";
import { oneOf, optionList } from "./zod-rules.ts";

const literal = (s: string) => JSON.stringify(s);

export const selectType: FieldTypeDefinition<SelectField> = {
  type: "select",
  options: () => ({ options: optionList() }),
  indexable: true,
  column: () => ({ type: "text" }),
  input: (field) => oneOf(field.options),
  queryValue(field, value, reject) {
    if (!field.options.includes(value as string)) {
      reject(`must be one of ${field.options.join(", ")}`);
    }
    return value;
  },
  typescript: (field) => field.options.map(literal).join(" | "),
  whereSchema: (field) => ({ type: "string", enum: [...field.options] }),
};
