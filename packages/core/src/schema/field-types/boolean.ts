/** `boolean`: true or false. */
import { z } from "zod";
import type { BooleanField } from "../fields.ts";
import type { FieldTypeDefinition } from "./types.ts";

export const booleanType: FieldTypeDefinition<BooleanField> = {
  type: "boolean",
  indexable: true,
  column: () => ({ type: "boolean" }),
  input: () => z.boolean({ message: "must be true or false" }),
  typescript: () => "boolean",
};
