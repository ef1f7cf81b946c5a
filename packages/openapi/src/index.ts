export type { BuildDocumentOptions } from "./document.ts";
export { buildDocument } from "./document.ts";
export { openapi } from "./module.ts";
export type { OpenApiDocument, OpenApiServer, OpenApiTag } from "./openapi-types.ts";
export type { OpenApiOptions } from "./options.ts";
