/** The parts of an OpenAPI 3.1 document this package writes; schemas stay plain JSON. */
import type { JsonSchema } from "./json-schema.ts";

export interface OpenApiServer {
  url: string;
  description?: string;
}

export interface OpenApiTag {
  name: string;
  description?: string;
}

export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; description?: string };
  servers?: OpenApiServer[];
  tags: OpenApiTag[];
  paths: Record<string, Record<string, unknown>>;
  components: Record<string, Record<string, unknown>> & { schemas: Record<string, JsonSchema> };
  /** Present when a module declares security schemes. */
  security?: Array<Record<string, string[]>>;
}
