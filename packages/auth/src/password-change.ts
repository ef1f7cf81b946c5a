/**
 * A changed password ends every other sign-in of the user: their sessions
 * and refresh families, except the ones of the request making the change
 * (a user changing their own password stays signed in where they are).
 */

import type { PasswordChanged } from "./extend-collections.ts";
import { verifyAccessToken } from "./jwt.ts";
import { revokeUserFamilies } from "./refresh-tokens.ts";
import { cookiesOf } from "./resolve-user.ts";
import type { AuthRuntime } from "./runtime.ts";
import { revokeUserSessions, SESSION_COOKIE } from "./sessions.ts";

/** The credentials a request carries, read without the database (the write's transaction is open). */
async function currentCredentials(rt: AuthRuntime, request: Request | null) {
  if (!request) return {};
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "")?.[1];
  const claims = bearer ? await verifyAccessToken({ key: rt.jwtKey, token: bearer }) : null;
  return { familyId: claims?.fid, sessionToken: cookiesOf(request)[SESSION_COOKIE] };
}

export function onPasswordChange(rt: () => AuthRuntime): PasswordChanged {
  return async (args) => {
    const runtime = rt();
    const keep = await currentCredentials(runtime, args.req);
    // Inside the write's transaction: a rolled-back change revokes nothing.
    const db = args.lucent.db;
    const userId = args.originalDoc.id;
    await revokeUserSessions({ db, key: runtime.sessions.key }, userId, keep.sessionToken);
    await revokeUserFamilies(db, userId, keep.familyId);
    runtime.ctx.logger.info({ userId }, "password changed; other sessions revoked");
  };
}
