/** The REST paths of one collection (CONTRACT §4), as core's routes-collections.ts serves them. */
import type { ResolvedCollection } from "@lucent/core";
import type { JsonSchema } from "./json-schema.ts";
import { collectionNames, pascal, ref } from "./naming.ts";
import { docParams, ID_PARAM, listParams } from "./operation-params.ts";
import { errorResponses } from "./shared-components.ts";

function json(schema: JsonSchema, description: string): JsonSchema {
  return { description, content: { "application/json": { schema } } };
}

function writeBody(collection: ResolvedCollection, input: string): JsonSchema {
  const content: JsonSchema = { "application/json": { schema: ref(input) } };
  const uploads = collection.fields.filter((f) => f.config.type === "upload");
  if (uploads.length > 0) {
    const properties: Record<string, JsonSchema> = {
      _payload: { ...ref(input), description: "the other fields, as a JSON object" },
    };
    const encoding: Record<string, JsonSchema> = { _payload: { contentType: "application/json" } };
    for (const field of uploads) {
      properties[field.name] = { type: "string", format: "binary" };
      const types = field.config.type === "upload" ? field.config.mimeTypes : undefined;
      if (types) encoding[field.name] = { contentType: types.join(", ") };
    }
    // Plain text form fields are accepted too, so `_payload` stays optional.
    content["multipart/form-data"] = { schema: { type: "object", properties }, encoding };
  }
  return { required: true, content };
}

export interface CollectionPathsOptions {
  collection: ResolvedCollection;
  prefix: string;
  whereDescription: string;
}

export function collectionPaths({
  collection,
  prefix,
  whereDescription,
}: CollectionPathsOptions): Record<string, JsonSchema> {
  const slug = collection.slug;
  const n = collectionNames(slug);
  const tags = [slug];
  const base = `${prefix}/${slug}`;
  const paths: Record<string, JsonSchema> = {
    [base]: {
      get: {
        operationId: `list${n.plural}`,
        summary: `List ${slug}`,
        tags,
        parameters: listParams(collection, n.where, whereDescription),
        responses: {
          200: json(ref(n.list), "A page of documents"),
          ...errorResponses([400, 401, 403, 429, 500, 503]),
        },
      },
      post: {
        operationId: `create${n.doc}`,
        summary: `Create a ${n.doc.toLowerCase()}`,
        tags,
        parameters: docParams(collection),
        requestBody: writeBody(collection, n.create),
        responses: {
          201: json(ref(n.doc), "The created document"),
          ...errorResponses([400, 401, 403, 409, 413, 429, 500, 503]),
        },
      },
    },
    [`${base}/{id}`]: {
      parameters: [ID_PARAM],
      get: {
        operationId: `get${n.doc}`,
        summary: `Get a ${n.doc.toLowerCase()}`,
        tags,
        parameters: docParams(collection),
        responses: {
          200: json(ref(n.doc), "The document"),
          ...errorResponses([400, 401, 403, 404, 429, 500, 503]),
        },
      },
      patch: {
        operationId: `update${n.doc}`,
        summary: `Update a ${n.doc.toLowerCase()}`,
        tags,
        parameters: docParams(collection),
        requestBody: writeBody(collection, n.update),
        responses: {
          200: json(ref(n.doc), "The updated document"),
          ...errorResponses([400, 401, 403, 404, 409, 413, 429, 500, 503]),
        },
      },
      delete: {
        operationId: `delete${n.doc}`,
        summary: `Delete a ${n.doc.toLowerCase()}`,
        tags,
        responses: {
          200: json(ref(n.doc), "The deleted document"),
          ...errorResponses([400, 401, 403, 404, 409, 429, 500, 503]),
        },
      },
    },
  };
  for (const field of collection.fields) {
    if (field.config.type !== "upload") continue;
    const types = field.config.mimeTypes ?? ["application/octet-stream"];
    paths[`${base}/{id}/${field.name}`] = {
      get: {
        operationId: `get${n.doc}${pascal(field.name)}`,
        summary: `Download a ${n.doc.toLowerCase()}'s ${field.name}`,
        description:
          "The stored file, with the collection's read access. Images are inline, anything else an attachment.",
        tags,
        parameters: [ID_PARAM],
        responses: {
          200: {
            description: "The file",
            content: Object.fromEntries(
              types.map((t) => [t, { schema: { type: "string", format: "binary" } }]),
            ),
          },
          ...errorResponses([400, 401, 403, 404, 429, 500, 503]),
        },
      },
    };
  }
  return paths;
}
