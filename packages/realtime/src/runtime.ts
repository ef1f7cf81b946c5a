/**
 * One kernel's realtime: the hub, the open connections, and how a
 * connection's caller and subscriptions are set up (shared by SSE and WS).
 */
import {
  ForbiddenError,
  isAllowedOrigin,
  type KernelContext,
  type LucentUser,
  NotFoundError,
  type PaginatedDocs,
  readFilter,
  UnauthorizedError,
  type Where,
} from "@lucent/core";
import { Connection, type Registry } from "./connection.ts";
import {
  bearerExpiry,
  type Credentials,
  credentialsOf,
  crossSiteCookie,
  requestWith,
} from "./credentials.ts";
import type { Cursor } from "./cursor.ts";
import type { DispatchContext } from "./dispatch.ts";
import type { Hub } from "./hub.ts";
import type { ResolvedRealtimeOptions } from "./options.ts";
import { takeSnapshot } from "./snapshot.ts";
import type { Framer, Subscription } from "./subscription.ts";
import { redeemTicket } from "./ticket.ts";

export interface Runtime {
  ctx: KernelContext;
  options: ResolvedRealtimeOptions;
  hub: Hub;
  registry: Registry;
  dispatch: DispatchContext;
}

export interface Caller {
  user: LucentUser | null;
  credentials: Credentials | null;
}

/**
 * Who opens a connection: the request's own credentials, or those a
 * `?ticket=` was issued for. A bad ticket or bad credentials are a 401.
 */
export async function callerOf(
  rt: Runtime,
  request: Request,
  ticket: string | null,
): Promise<Caller> {
  if (ticket !== null) {
    const credentials = await redeemTicket(rt.ctx.db, ticket);
    if (!credentials) throw new UnauthorizedError("invalid, used or expired ticket");
    return { user: await rt.ctx.resolveCaller(requestWith(credentials)), credentials };
  }
  const credentials = credentialsOf(request);
  if (
    crossSiteCookie(request, credentials, (o, self) =>
      isAllowedOrigin(rt.ctx.config.api.cors, o, self),
    )
  )
    throw new ForbiddenError(
      "the session cookie is not accepted from another origin: use a ticket",
    );
  return { user: await rt.ctx.resolveCaller(request), credentials };
}

export function openConnection(rt: Runtime, caller: Caller): Connection {
  const connection = new Connection(
    caller.user,
    caller.credentials,
    rt.options.maxBacklogBytes,
    (c) => {
      for (const sub of c.subscriptions.values()) rt.hub.leave(sub);
      c.subscriptions.clear();
      rt.registry.delete(c);
    },
  );
  connection.expiresAt = caller.user ? bearerExpiry(caller.credentials) : null;
  rt.registry.add(connection);
  return connection;
}

export interface SubscribeInput {
  collection: string;
  where: Where | undefined;
  framer: Framer;
  req: Request | null;
  from: Cursor | null;
  snapshot?: { limit?: number | undefined; sort?: string | undefined } | undefined;
  onSnapshot?: (page: PaginatedDocs, cursor: Cursor) => void;
  /** Called once events will flow, with the cursor they follow. */
  onReady: (cursor: string, reset: boolean) => void;
}

/** Checks the filter (400/401/403 as a list would), reads the snapshot if asked, and joins the stream. */
export async function subscribe(
  rt: Runtime,
  connection: Connection,
  input: SubscribeInput,
): Promise<Subscription> {
  if (!rt.ctx.collections.has(input.collection))
    throw new NotFoundError(`no collection "${input.collection}"`);
  const tree = await readFilter({
    collections: rt.ctx.collections,
    collection: input.collection,
    where: input.where,
    user: connection.user,
    req: input.req,
  });
  const sub: Subscription = {
    sink: connection,
    collection: input.collection,
    tree,
    framer: input.framer,
    head: 0,
  };
  let from = input.from;
  if (input.snapshot) {
    const { page, cursor } = await takeSnapshot({
      db: rt.ctx.db,
      lucent: rt.ctx.lucent,
      collection: input.collection,
      where: input.where,
      user: connection.user,
      req: input.req,
      limit: input.snapshot.limit,
      sort: input.snapshot.sort,
    });
    input.onSnapshot?.(page, cursor);
    from = cursor;
  }
  await rt.hub.join(sub, { user: connection.user, where: input.where }, from, input.onReady);
  return sub;
}
