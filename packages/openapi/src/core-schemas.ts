/**
 * The zod schemas core validates request bodies with. The document is built
 * from these very schemas, so it cannot drift from what the routes accept.
 *
 * `@lucent/core` does not export them from its entry yet; until it does,
 * they are loaded from the module next to core's resolved entry, which is
 * `body-schema.ts` from source and `body-schema.js` from `dist`.
 */
import type { FieldConfig, ResolvedCollection } from "@lucent/core";
import * as core from "@lucent/core";
import type { ZodType } from "zod";

export interface CoreSchemas {
  bodySchema(collection: ResolvedCollection, mode: "create" | "update"): ZodType;
  fieldSchema(field: FieldConfig): ZodType;
}

function isCoreSchemas(value: unknown): value is CoreSchemas {
  const v = value as Partial<Record<keyof CoreSchemas, unknown>> | null;
  return typeof v?.bodySchema === "function" && typeof v.fieldSchema === "function";
}

let loaded: Promise<CoreSchemas> | undefined;

export function coreSchemas(): Promise<CoreSchemas> {
  loaded ??= load();
  return loaded;
}

async function load(): Promise<CoreSchemas> {
  if (isCoreSchemas(core)) return core;
  const entry = import.meta.resolve("@lucent/core");
  const extension = entry.endsWith(".ts") ? ".ts" : ".js";
  const sibling: unknown = await import(new URL(`./body-schema${extension}`, entry).href);
  if (!isCoreSchemas(sibling)) {
    throw new Error(
      "@lucent/openapi: this @lucent/core does not provide bodySchema and fieldSchema",
    );
  }
  return sibling;
}
