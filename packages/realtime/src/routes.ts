/**
 * The module's HTTP surface, each route declared once (Elysia route and
 * OpenAPI from one definition): the SSE stream and the ticket endpoint,
 * plus the WebSocket upgrade at the app's root.
 */
import {
  defineRoute,
  ForbiddenError,
  isAllowedOrigin,
  mountRoutes,
  type OpenApiFragment,
  type RouteDefinition,
  routesOpenApi,
  UnauthorizedError,
  WHERE_DESCRIPTION,
} from "@lucent/core";
import { Elysia } from "elysia";
import { z } from "zod";
import { credentialsOf, crossSiteCookie } from "./credentials.ts";
import type { Runtime } from "./runtime.ts";
import { openEventStream } from "./sse.ts";
import { issueTicket } from "./ticket.ts";
import { upgradeSocket } from "./ws.ts";

export function realtimeRouteDefinitions(rt: Runtime): RouteDefinition[] {
  const stream = defineRoute({
    method: "GET",
    path: "/realtime/:slug",
    operationId: "realtimeStream",
    summary: "Stream a collection's committed changes (Server-Sent Events)",
    description: [
      "A `text/event-stream` of `create`, `update` and `delete` events, each with `data: { collection, operation, id, doc }`",
      "and `id: <epoch>:<seq>`. Only documents the caller may read are sent, without the fields they may not read; an update",
      "that moves a document out of (into) the caller's view is a `delete` (`create`). Reconnecting with `Last-Event-ID`",
      "resumes exactly; `reset` means the gap is past retention and the client should refetch. Also sent: `subscribed`",
      "(with the cursor events follow), `auth_expired` and `shutdown` (reconnect), and comment heartbeats.",
    ].join(" "),
    params: z.object({ slug: z.string().describe("The collection's slug") }),
    query: z.object({
      where: z
        .string()
        .optional()
        .describe(`A JSON filter, as on the list route. ${WHERE_DESCRIPTION}`),
      ticket: z
        .string()
        .optional()
        .describe("A ticket from POST /realtime/ticket (for browsers on another origin)"),
    }),
    response: { status: 200, description: "the event stream (text/event-stream)" },
    errors: {
      400: "bad `where`, unknown parameter or malformed Last-Event-ID (VALIDATION_ERROR)",
      401: "bad credentials or ticket (UNAUTHORIZED)",
      403: "read access denies the caller (FORBIDDEN)",
      404: "no such collection (NOT_FOUND)",
    },
    handler: ({ request, params }) => openEventStream(rt, request, params.slug),
  });
  const ticket = defineRoute({
    method: "POST",
    path: "/realtime/ticket",
    operationId: "realtimeTicket",
    summary: "Get a single-use ticket to open a realtime connection from another origin",
    description: `The ticket carries the caller's credentials for ${rt.options.ticketSeconds} seconds and opens one connection: \`/ws?ticket=…\` or \`/realtime/:slug?ticket=…\`.`,
    response: {
      status: 201,
      description: "the ticket",
      schema: z.object({ ticket: z.string(), expiresAt: z.string().describe("ISO 8601") }),
    },
    errors: {
      401: "not signed in (UNAUTHORIZED)",
      403: "cookie sent from another origin (FORBIDDEN)",
    },
    secured: true,
    before: async ({ request }) => {
      const credentials = credentialsOf(request);
      if (
        crossSiteCookie(request, credentials, (o, self) =>
          isAllowedOrigin(rt.ctx.config.api.cors, o, self),
        )
      )
        throw new ForbiddenError("the session cookie is not accepted from another origin");
      if (!(await rt.ctx.resolveCaller(request)))
        throw new UnauthorizedError("sign in to get a ticket");
    },
    handler: ({ request }) =>
      issueTicket(rt.ctx.db, {
        credentials: credentialsOf(request) ?? {},
        seconds: rt.options.ticketSeconds,
      }),
  });
  return [ticket, stream] as RouteDefinition[];
}

export function realtimeRoutes(rt: Runtime, definitions: readonly RouteDefinition[]) {
  return new Elysia({ name: "@lucent/realtime/routes" })
    .onRequest(({ request, server, set }) =>
      upgradeSocket(rt, {
        request,
        server,
        requestId: String(set.headers["x-request-id"] ?? Bun.randomUUIDv7()),
      }),
    )
    .use(mountRoutes("@lucent/realtime", definitions));
}

export function realtimeOpenApi(definitions: readonly RouteDefinition[]): OpenApiFragment {
  const fragment = routesOpenApi(definitions, { tags: ["realtime"] });
  const get = fragment.paths?.["/realtime/{slug}"]?.get as
    | { responses: Record<string, unknown> }
    | undefined;
  if (get) {
    get.responses["200"] = {
      description: "the event stream",
      content: { "text/event-stream": { schema: { type: "string" } } },
    };
  }
  return {
    ...fragment,
    tags: [
      { name: "realtime", description: "Committed changes as they happen (@lucent/realtime)" },
    ],
  };
}
