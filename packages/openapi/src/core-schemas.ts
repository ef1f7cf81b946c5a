/**
 * The zod schemas core validates request bodies with. The document is built
 * from these very schemas, so it cannot drift from what the routes accept.
 */
import type { FieldConfig, ResolvedCollection } from "@lucent/core";
import { bodySchema, fieldSchema } from "@lucent/core";
import type { ZodType } from "zod";

export interface CoreSchemas {
  bodySchema(collection: ResolvedCollection, mode: "create" | "update"): ZodType;
  fieldSchema(field: FieldConfig): ZodType;
}

export async function coreSchemas(): Promise<CoreSchemas> {
  return { bodySchema, fieldSchema };
}
