/**
 * The OpenAPI paths of an upload field's own routes (direct uploads, their
 * one-time local URL, tus), described beside the routes so a document
 * generator adds them with one call: `uploadRoutesOpenApi({ collection, prefix })`.
 * Error responses refer to the shared `#/components/responses/<Name>`
 * entries a Lucent document carries (ValidationError, Unauthorized, …).
 */
import type { ResolvedCollection } from "../schema/schema.ts";

type Operation = Record<string, unknown>;

const ERRORS: Record<number, string> = {
  400: "ValidationError",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  409: "Conflict",
  413: "PayloadTooLarge",
  429: "RateLimited",
  500: "Internal",
  503: "Unavailable",
};
const errors = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((s) => [String(s), { $ref: `#/components/responses/${ERRORS[s]}` }]),
  );
const header = (description: string, type = "string") => ({ description, schema: { type } });
const TUS_HEADERS = {
  "Tus-Resumable": header("1.0.0"),
  "Upload-Offset": header("Bytes received so far", "integer"),
  "Upload-Length": header("The upload's total size", "integer"),
  "Upload-Expires": header("When the unfinished upload is removed (RFC 7231 date)"),
  "Lucent-Upload-Key": header("The key to claim the finished upload with: `{ <field>: { key } }`"),
};
const tusParam = (name: string, description: string, required = true, type = "string") => ({
  name,
  in: "header",
  required,
  description,
  schema: { type },
});
const ID = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };
const pascal = (s: string) =>
  s.replace(/(^|[-_])([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());

export interface UploadRoutesOpenApiOptions {
  collection: ResolvedCollection;
  /** The API prefix (`/api`). */
  prefix: string;
}

export function uploadRoutesOpenApi({
  collection,
  prefix,
}: UploadRoutesOpenApiOptions): Record<string, Record<string, Operation>> {
  const paths: Record<string, Record<string, Operation>> = {};
  const tags = [collection.slug];
  for (const field of collection.fields) {
    if (field.config.type !== "upload") continue;
    const base = `${prefix}/${collection.slug}/uploads/${field.name}`;
    const name = `${pascal(collection.slug)}${pascal(field.name)}`;
    paths[base] = {
      post: {
        operationId: `startDirectUpload${name}`,
        summary: `Start a direct upload for ${field.name}`,
        description:
          "With the collection's create access. Send the bytes to `uploadUrl` with `method` and `headers`, then write `{ key }` into the field; the server checks the object's size and type before it takes the key.",
        tags,
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: {
                type: "object",
                additionalProperties: false,
                required: ["filename", "mimeType", "size"],
                properties: {
                  filename: { type: "string", minLength: 1, maxLength: 255 },
                  mimeType: { type: "string" },
                  size: { type: "integer", minimum: 0 },
                },
              },
            },
          },
        },
        responses: {
          201: {
            description: "Where to send the bytes",
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["key", "uploadUrl", "method", "headers", "expiresAt"],
                  properties: {
                    key: { type: "string" },
                    uploadUrl: { type: "string" },
                    method: { type: "string", enum: ["PUT"] },
                    headers: { type: "object", additionalProperties: { type: "string" } },
                    expiresAt: { type: "string", format: "date-time" },
                  },
                },
              },
            },
          },
          ...errors(400, 401, 403, 413, 429, 500, 503),
        },
      },
    };
    paths[`${base}/put/{id}`] = {
      put: {
        operationId: `sendDirectUpload${name}`,
        summary: `The one-time URL a direct upload for ${field.name} is sent to`,
        description:
          "Only as given in `uploadUrl` (signed, single use) when the storage cannot presign.",
        tags,
        security: [],
        "x-scalar-ignore": true,
        parameters: [
          ID,
          { name: "expires", in: "query", required: true, schema: { type: "integer" } },
          { name: "signature", in: "query", required: true, schema: { type: "string" } },
        ],
        requestBody: {
          required: true,
          content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } },
        },
        responses: { 200: { description: "Stored" }, ...errors(400, 403, 404, 409, 413, 500) },
      },
    };
    paths[`${base}/tus`] = {
      post: {
        operationId: `createTusUpload${name}`,
        summary: `Create a resumable (tus 1.0) upload for ${field.name}`,
        tags,
        parameters: [
          tusParam("Tus-Resumable", "1.0.0"),
          tusParam("Upload-Length", "The total size in bytes", true, "integer"),
          tusParam(
            "Upload-Metadata",
            "`filename` and `filetype`, base64, as tus clients send them",
            false,
          ),
        ],
        responses: {
          201: {
            description: "Created; `Location` is where to send the bytes",
            headers: { Location: header("The upload's URL"), ...TUS_HEADERS },
          },
          ...errors(400, 401, 403, 413, 429, 500, 503),
        },
      },
    };
    paths[`${base}/tus/{id}`] = {
      head: {
        operationId: `getTusUploadOffset${name}`,
        summary: "How much of the upload arrived",
        tags,
        parameters: [ID, tusParam("Tus-Resumable", "1.0.0")],
        responses: {
          200: { description: "The offset", headers: TUS_HEADERS },
          ...errors(400, 404, 500),
        },
      },
      patch: {
        operationId: `sendTusUpload${name}`,
        summary: "Send bytes from the current offset",
        tags,
        parameters: [
          ID,
          tusParam("Tus-Resumable", "1.0.0"),
          tusParam("Upload-Offset", "Must equal the upload's current offset", true, "integer"),
        ],
        requestBody: {
          required: true,
          content: {
            "application/offset+octet-stream": { schema: { type: "string", format: "binary" } },
          },
        },
        responses: {
          204: { description: "Stored; the new offset", headers: TUS_HEADERS },
          ...errors(400, 404, 409, 413, 500, 503),
        },
      },
      delete: {
        operationId: `terminateTusUpload${name}`,
        summary: "End the upload and remove what arrived",
        tags,
        parameters: [ID, tusParam("Tus-Resumable", "1.0.0")],
        responses: { 204: { description: "Removed" }, ...errors(400, 404, 500) },
      },
    };
  }
  return paths;
}
