/** Merges modules' OpenAPI fragments into the document, refusing silent overwrites. */
import type { OpenApiFragment } from "@lucent/core";
import type { JsonSchema } from "./json-schema.ts";
import type { OpenApiDocument } from "./openapi-types.ts";

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Fragment paths are written below the API prefix, like the routes a module
 * mounts (`/auth/login`); a path that already starts with the prefix is kept.
 */
export function prefixed(path: string, prefix: string): string {
  if (!prefix || path === prefix || path.startsWith(`${prefix}/`)) return path;
  return `${prefix}${path.startsWith("/") ? "" : "/"}${path}`;
}

export function mergeFragment(
  doc: OpenApiDocument,
  fragment: OpenApiFragment,
  source: string,
  prefix: string,
): void {
  for (const [rawPath, item] of Object.entries(fragment.paths ?? {})) {
    const path = prefixed(rawPath, prefix);
    const existing = doc.paths[path] ?? {};
    for (const [method, operation] of Object.entries(item)) {
      if (method in existing && !same(existing[method], operation)) {
        throw new Error(
          `@lucent/openapi: ${source} describes ${method.toUpperCase()} ${path}, which is already described`,
        );
      }
      existing[method] = operation;
    }
    doc.paths[path] = existing;
  }
  for (const [section, entries] of Object.entries(fragment.components ?? {})) {
    const target: Record<string, unknown> = doc.components[section] ?? {};
    doc.components[section] = target;
    for (const [name, value] of Object.entries(entries)) {
      if (name in target && !same(target[name], value)) {
        throw new Error(`@lucent/openapi: ${source} redefines components.${section}.${name}`);
      }
      target[name] = value;
    }
  }
  for (const tag of fragment.tags ?? []) {
    if (!doc.tags.some((t) => t.name === tag.name)) doc.tags.push(tag);
  }
}

/** Operation ids must be unique for generated clients; a clash names both places. */
export function checkOperationIds(doc: OpenApiDocument): void {
  const seen = new Map<string, string>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const id = (operation as JsonSchema | undefined)?.operationId;
      if (typeof id !== "string") continue;
      const here = `${method.toUpperCase()} ${path}`;
      const other = seen.get(id);
      if (other)
        throw new Error(`@lucent/openapi: operationId ${id} is used by ${other} and ${here}`);
      seen.set(id, here);
    }
  }
}
