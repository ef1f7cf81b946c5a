/** Path and query parameters of the collection routes, as core's query-params.ts parses them. */

import type { ResolvedCollection } from "@lucent/core";
import {
  DEFAULT_LIMIT,
  MAX_DEPTH,
  MAX_LIMIT,
  selectableFields,
  sortableFields,
} from "@lucent/core";
import type { JsonSchema } from "./json-schema.ts";
import { ref } from "./naming.ts";

export const ID_PARAM = {
  name: "id",
  in: "path",
  required: true,
  schema: { type: "string", format: "uuid" },
};

/** Sort keys both ways; which fields are sortable is core's field-type table's answer. */
function sortable(collection: ResolvedCollection): string[] {
  return sortableFields(collection).flatMap((n) => [n, `-${n}`]);
}

export function docParams(collection: ResolvedCollection): JsonSchema[] {
  return [
    {
      name: "depth",
      in: "query",
      description: `0 returns relationship ids; 1 replaces them with the related documents, 2 goes one level further. More is capped at ${MAX_DEPTH}.`,
      schema: { type: "integer", minimum: 0, default: 0 },
    },
    {
      name: "select",
      in: "query",
      description:
        "Fields to return, comma-separated (`select=title,status`); `id` is always returned.",
      style: "form",
      explode: false,
      schema: { type: "array", items: { type: "string", enum: selectableFields(collection) } },
    },
  ];
}

export function listParams(
  collection: ResolvedCollection,
  where: string,
  whereDescription: string,
): JsonSchema[] {
  return [
    {
      name: "page",
      in: "query",
      description: "From 1.",
      schema: { type: "integer", minimum: 1, default: 1 },
    },
    {
      name: "limit",
      in: "query",
      description: `Documents per page; a larger value than ${MAX_LIMIT} is capped (and the envelope says ${MAX_LIMIT}).`,
      schema: { type: "integer", minimum: 1, default: DEFAULT_LIMIT },
    },
    {
      name: "sort",
      in: "query",
      description:
        "Comma-separated keys, `-` for descending (`sort=-createdAt,title`); ties are broken by id in the direction of the last key.",
      style: "form",
      explode: false,
      schema: {
        type: "array",
        items: { type: "string", enum: sortable(collection) },
        default: [collection.timestamps ? "-createdAt" : "-id"],
      },
    },
    {
      name: "where",
      in: "query",
      description: whereDescription,
      content: { "application/json": { schema: ref(where) } },
    },
    ...docParams(collection),
  ];
}
