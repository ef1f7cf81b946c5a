/** Small builders for the OpenAPI fragment: schemas, operations, the shared error response. */

export type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
export const json = (schema: Schema) => ({ "application/json": { schema } });
const error = (description: string) => ({ description, content: json(ref("Error")) });
export const obj = (
  properties: Record<string, Schema>,
  required: string[] = Object.keys(properties),
): Schema => ({
  type: "object",
  properties,
  required,
  additionalProperties: false,
});
export const string = (extra: Schema = {}): Schema => ({ type: "string", ...extra });
export const ok = {
  description: "done",
  content: json(obj({ ok: { type: "boolean", const: true } })),
};

export function op(input: {
  summary: string;
  body?: Schema;
  success: { status: string; description: string; schema?: Schema };
  errors: Record<string, string>;
  secured?: boolean;
}) {
  const responses: Record<string, unknown> = {
    [input.success.status]: input.success.schema
      ? { description: input.success.description, content: json(input.success.schema) }
      : { description: input.success.description },
  };
  for (const [status, description] of Object.entries(input.errors))
    responses[status] = error(description);
  responses["429"] = error("too many requests (RATE_LIMITED)");
  return {
    tags: ["auth"],
    summary: input.summary,
    ...(input.body ? { requestBody: { required: true, content: json(input.body) } } : {}),
    ...(input.secured
      ? { security: [{ bearerAuth: [] }, { apiKey: [] }, { sessionCookie: [] }] }
      : {}),
    responses,
  };
}
