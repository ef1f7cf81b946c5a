/** The caller and request a write is attributed to (see `WriteOrigin`). */
import { requestState } from "../http/http-request.ts";
import type { Scope } from "../kernel/engine.ts";
import type { WriteOrigin } from "../query/access-types.ts";
import type { QueryContext } from "../query/query-context.ts";

/** The scope's origin inside a write; outside one, this operation's caller and request. */
export function originOf(scope: Scope, ctx: Pick<QueryContext, "user" | "req">): WriteOrigin {
  return scope.origin ?? requestOrigin(ctx.req, ctx.user);
}

/** The origin of something a request did: its caller, `X-Request-Id` and client address. */
export function requestOrigin(req: Request | null, actor: WriteOrigin["actor"]): WriteOrigin {
  const state = req ? requestState(req) : undefined;
  return { actor, requestId: state?.id ?? null, ip: state?.ip ?? null };
}
