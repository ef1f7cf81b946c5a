/** The caller's API keys: create (the key is shown once), list, revoke. */
import { ForbiddenError, NotFoundError, ValidationError } from "@lucent/core";
import { Elysia } from "elysia";
import { z } from "zod";
import { createApiKey, listApiKeys, revokeApiKey } from "./api-keys.ts";
import { readBody } from "./body.ts";
import { requireCaller } from "./resolve-user.ts";
import type { AuthRuntime } from "./runtime.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const createBody = z.strictObject({ name: z.string().trim().min(1).max(100) });

/** Keys are managed by a signed-in person: a leaked key must not be able to mint more keys or revoke the others. */
async function keyManager(rt: AuthRuntime, request: Request) {
  const caller = await requireCaller(rt, request);
  if (caller.credentials.via === "apiKey")
    throw new ForbiddenError("API keys cannot manage API keys; sign in");
  return caller.credentials.owner;
}

export function apiKeyRoutes(rt: AuthRuntime) {
  const { db } = rt.ctx;
  return new Elysia({ name: "@lucent/auth/api-keys" })
    .post(
      "/auth/api-keys",
      async ({ request, set }) => {
        const owner = await keyManager(rt, request);
        const { name } = await readBody(request, createBody);
        const { lastUsedAt: _never, ...created } = await createApiKey(db, { ...owner, name });
        set.status = 201;
        return created;
      },
      { parse: "none" },
    )
    .get("/auth/api-keys", async ({ request }) => {
      const owner = await keyManager(rt, request);
      return { docs: await listApiKeys(db, owner.userId) };
    })
    .delete("/auth/api-keys/:id", async ({ request, params }) => {
      const owner = await keyManager(rt, request);
      // As core's routes: an id that is not a UUID is a malformed request, not a missing key.
      if (!UUID.test(params.id))
        throw new ValidationError([{ path: "id", message: "must be a UUID" }]);
      if (!(await revokeApiKey(db, owner.userId, params.id))) {
        throw new NotFoundError("no such API key");
      }
      return { id: params.id, revoked: true };
    });
}
