/** The caller's API keys: create (the key is shown once), list, revoke. */
import { defineRoute, ForbiddenError, NotFoundError } from "@lucent/core";
import { z } from "zod";
import { createApiKey, listApiKeys, revokeApiKey } from "./api-keys.ts";
import { tellAuthEvent } from "./auth-events.ts";
import { obj, string } from "./openapi-schemas.ts";
import { requireCaller } from "./resolve-user.ts";
import type { AuthRuntime } from "./runtime.ts";

const createBody = z.strictObject({ name: z.string().trim().min(1).max(100) });
// As core's routes: an id that is not a UUID is a malformed request, not a missing key.
const keyParams = z.object({ id: z.guid("must be a UUID") });

const keyInfo = {
  id: string({ format: "uuid" }),
  name: string(),
  prefix: string(),
  createdAt: string({ format: "date-time" }),
};
const errors = { 401: "not signed in", 403: "API keys cannot manage API keys" };

/**
 * Keys are managed by a signed-in person: a leaked key must not be able to mint
 * more keys or revoke the others. The caller is resolved once per request, so
 * the `before` check and the handler share one lookup.
 */
async function keyManager(rt: AuthRuntime, request: Request) {
  const caller = await requireCaller(rt, request);
  if (caller.credentials.via === "apiKey")
    throw new ForbiddenError("API keys cannot manage API keys; sign in");
  return caller.credentials.owner;
}

export function apiKeyDefinitions(rt: AuthRuntime) {
  const { db } = rt.ctx;
  const before = async ({ request }: { request: Request }) => {
    await keyManager(rt, request);
  };

  const create = defineRoute({
    method: "POST",
    path: "/auth/api-keys",
    operationId: "createApiKey",
    summary: "Create an API key (the key is shown only here)",
    body: createBody,
    response: {
      status: 201,
      description: "created",
      schema: obj({ ...keyInfo, key: string() }),
    },
    errors: { 400: "invalid body", ...errors },
    secured: true,
    before,
    async handler({ request, body: { name } }) {
      const owner = await keyManager(rt, request);
      const { lastUsedAt: _never, ...created } = await createApiKey(db, { ...owner, name });
      const user = { id: owner.userId, collection: owner.collection };
      await tellAuthEvent(rt, request, { type: "api_key_created", user, keyId: created.id });
      return created;
    },
  });

  const list = defineRoute({
    method: "GET",
    path: "/auth/api-keys",
    operationId: "listApiKeys",
    summary: "The caller's live API keys, without the keys",
    response: {
      status: 200,
      description: "keys",
      schema: obj({
        docs: {
          type: "array",
          items: obj({ ...keyInfo, lastUsedAt: { type: ["string", "null"], format: "date-time" } }),
        },
      }),
    },
    errors,
    secured: true,
    async handler({ request }) {
      const owner = await keyManager(rt, request);
      return { docs: await listApiKeys(db, owner.userId) };
    },
  });

  const revoke = defineRoute({
    method: "DELETE",
    path: "/auth/api-keys/:id",
    operationId: "deleteApiKey",
    summary: "Revoke an API key",
    params: keyParams,
    response: {
      status: 200,
      description: "revoked",
      schema: obj({ id: string({ format: "uuid" }), revoked: { type: "boolean" } }),
    },
    errors: { ...errors, 400: "the id is not a UUID", 404: "no such key" },
    secured: true,
    before,
    async handler({ request, params: { id } }) {
      const owner = await keyManager(rt, request);
      if (!(await revokeApiKey(db, owner.userId, id))) throw new NotFoundError("no such API key");
      const user = { id: owner.userId, collection: owner.collection };
      await tellAuthEvent(rt, request, { type: "api_key_revoked", user, keyId: id });
      return { id, revoked: true };
    },
  });

  return [create, list, revoke];
}
