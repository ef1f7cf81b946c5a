/** `date`: an instant in a TIMESTAMPTZ column; ISO 8601 in, a UTC ISO string out. */
import type { DateField } from "../fields.ts";
import { toIsoString } from "../iso-date.ts";
import type { FieldTypeDefinition } from "./types.ts";
import { isoDate } from "./zod-rules.ts";

export const dateType: FieldTypeDefinition<DateField> = {
  type: "date",
  indexable: true,
  column: () => ({ type: "timestamptz" }),
  input: () => isoDate(),
  toJson: toIsoString,
  typescript: () => "string",
  responseSchema: () => ({ type: "string", format: "date-time" }),
  annotateInput: (schema) => ({ ...schema, description: "ISO 8601 date or date-time" }),
};
