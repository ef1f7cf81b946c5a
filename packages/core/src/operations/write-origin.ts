/** The caller and request a write is attributed to (see `WriteOrigin`). */
import { requestState } from "../http/http-request.ts";
import type { Scope } from "../kernel/engine.ts";
import type { WriteOrigin } from "../query/access-types.ts";
import type { QueryContext } from "../query/query-context.ts";

/** The scope's origin inside a write; outside one, this operation's caller and request. */
export function originOf(scope: Scope, ctx: Pick<QueryContext, "user" | "req">): WriteOrigin {
  if (scope.origin) return scope.origin;
  const state = ctx.req ? requestState(ctx.req) : undefined;
  return { actor: ctx.user, requestId: state?.id ?? null, ip: state?.ip ?? null };
}
