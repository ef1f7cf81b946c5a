/**
 * The whole OpenAPI 3.1 document: collections and core's routes from the
 * kernel, then every installed module's fragment (this one's describes the
 * docs routes), in the order modules were given.
 */
import { type KernelContext, uploadRoutesOpenApi } from "@lucent/core";
import { collectionPaths } from "./collection-paths.ts";
import { healthPaths } from "./core-paths.ts";
import { createSchemaComponents } from "./json-schema.ts";
import { checkOperationIds, mergeFragment } from "./merge.ts";
import type { OpenApiDocument } from "./openapi-types.ts";
import type { ResolvedOpenApiOptions } from "./options.ts";
import { addCollectionSchemas } from "./schemas.ts";
import { defaultSecurity, SHARED_SCHEMAS, sharedResponses } from "./shared-components.ts";
import { WHERE_DESCRIPTION } from "./where-schema.ts";

export interface BuildDocumentOptions {
  ctx: KernelContext;
  options: ResolvedOpenApiOptions;
}

export async function buildDocument({
  ctx,
  options,
}: BuildDocumentOptions): Promise<OpenApiDocument> {
  const prefix = ctx.prefix;
  const components = createSchemaComponents();
  for (const [name, schema] of Object.entries(SHARED_SCHEMAS)) components.add(name, schema);

  const doc: OpenApiDocument = {
    openapi: "3.1.0",
    info: { title: options.title, version: options.version, description: options.description },
    ...(options.servers.length > 0 ? { servers: options.servers } : {}),
    tags: [],
    paths: {},
    components: {
      schemas: components.schemas,
      responses: sharedResponses(),
    },
  };

  mergeFragment(
    doc,
    { paths: healthPaths(prefix), tags: [{ name: "health" }] },
    "@lucent/core",
    prefix,
  );
  for (const collection of ctx.collections.values()) {
    addCollectionSchemas({ collection, collections: ctx.collections, components });
    mergeFragment(
      doc,
      {
        paths: {
          ...collectionPaths({ collection, prefix, whereDescription: WHERE_DESCRIPTION }),
          ...uploadRoutesOpenApi({ collection, prefix }),
        },
        tags: [{ name: collection.slug, description: `The ${collection.slug} collection` }],
      },
      "@lucent/core",
      prefix,
    );
  }
  for (const { name } of ctx.config.modules) {
    const fragment = ctx.getModule(name)?.instance?.openapi?.();
    if (fragment) mergeFragment(doc, fragment, name, prefix);
  }
  const security = defaultSecurity(doc.components.securitySchemes);
  if (security.length > 0) doc.security = security;
  checkOperationIds(doc);
  return doc;
}
