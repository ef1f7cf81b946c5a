/** Paths core serves besides collections, and the docs routes of this module. */
import type { JsonSchema } from "./json-schema.ts";
import { ref } from "./naming.ts";
import { errorResponses } from "./shared-components.ts";

export function healthPaths(prefix: string): Record<string, JsonSchema> {
  const health = { "application/json": { schema: ref("Health") } };
  return {
    [`${prefix}/health`]: {
      get: {
        operationId: "getHealth",
        summary: "Health of the API and its dependencies",
        tags: ["health"],
        security: [],
        responses: {
          200: { description: "Every dependency is up", content: health },
          503: { description: "A dependency is down; its entry says `down`", content: health },
          ...errorResponses([500]),
        },
      },
    },
  };
}

/**
 * The docs routes themselves, so the document lists every route that is
 * served; `x-scalar-ignore` keeps them out of the UI's sidebar.
 */
export function docsPaths(base: string, assetNames: readonly string[]): Record<string, JsonSchema> {
  const common = { security: [], "x-scalar-ignore": true };
  return {
    [base]: {
      get: {
        ...common,
        operationId: "getDocsPage",
        summary: "This documentation, as a web page",
        responses: {
          200: { description: "HTML", content: { "text/html": { schema: { type: "string" } } } },
        },
      },
    },
    [`${base}/json`]: {
      get: {
        ...common,
        operationId: "getOpenApiDocument",
        summary: "This OpenAPI document",
        responses: {
          200: {
            description: "OpenAPI 3.1",
            content: { "application/json": { schema: { type: "object" } } },
          },
        },
      },
    },
    [`${base}/assets/{file}`]: {
      get: {
        ...common,
        operationId: "getDocsAsset",
        summary: "A script of the documentation page",
        parameters: [
          {
            name: "file",
            in: "path",
            required: true,
            schema: { type: "string", enum: [...assetNames] },
          },
        ],
        responses: {
          200: {
            description: "JavaScript",
            content: { "text/javascript": { schema: { type: "string" } } },
          },
          304: { description: "Not modified" },
          ...errorResponses([404]),
        },
      },
    },
  };
}
