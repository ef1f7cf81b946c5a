/** Stable operationIds for the auth routes, so generated clients get readable method names. */
const NAMED: Record<string, string> = {
  "post /auth/register": "register",
  "post /auth/login": "login",
  "post /auth/refresh": "refreshTokens",
  "get /auth/me": "getMe",
  "post /auth/logout": "logout",
  "post /auth/forgot": "forgotPassword",
  "post /auth/reset": "resetPassword",
  "post /auth/verify": "verifyEmail",
  "post /auth/api-keys": "createApiKey",
  "get /auth/api-keys": "listApiKeys",
  "delete /auth/api-keys/{id}": "deleteApiKey",
};

const pascal = (s: string) =>
  s
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("");

/** The operationId of one route: a fixed name, or one built from the OAuth provider's name. */
export function operationIdOf(method: string, path: string): string {
  const named = NAMED[`${method} ${path}`];
  if (named) return named;
  const oauth = /^\/auth\/oauth\/([^/]+)(\/callback)?$/.exec(path);
  if (oauth) return `${oauth[2] ? "finish" : "start"}${pascal(oauth[1]!)}SignIn`;
  return `${method}${pascal(path)}`;
}

/** Adds an operationId to every operation of `paths` that lacks one. */
export function withOperationIds(paths: Record<string, Record<string, unknown>>) {
  for (const [path, operations] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const op = operation as Record<string, unknown>;
      op.operationId ??= operationIdOf(method, path);
    }
  }
  return paths;
}
