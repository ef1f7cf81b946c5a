/**
 * The WebSocket endpoint at the root of the app (`/ws`, not under the API
 * prefix). A module's routes are mounted under the prefix, but `onRequest`
 * runs for every request of the app before routing: the upgrade happens
 * there. Elysia's Bun adapter hands a socket's events to the handlers in
 * its `data`, which is what `server.upgrade` is given here.
 */
import { LucentError } from "@lucent/core";
import type { Server, ServerWebSocket } from "bun";
import type { EndReason, Transport } from "./connection.ts";
import { callerOf, openConnection, type Runtime } from "./runtime.ts";
import { WsSession } from "./ws-session.ts";

/** Close codes: 4401 as the contract says; the others name their reason in the close frame too. */
const CLOSE: Record<EndReason, number> = {
  auth_expired: 4401,
  slow_reader: 4008,
  shutting_down: 1012,
  no_pong: 4000,
};

interface SocketHandlers {
  open(ws: ServerWebSocket<SocketHandlers>): void;
  message(ws: ServerWebSocket<SocketHandlers>, data: string | Buffer): void;
  close(ws: ServerWebSocket<SocketHandlers>): void;
  pong(ws: ServerWebSocket<SocketHandlers>): void;
}

function errorResponse(error: LucentError, requestId: string): Response {
  return new Response(JSON.stringify(error.toEnvelope(requestId)), {
    status: error.status,
    headers: { "content-type": "application/json", "x-request-id": requestId, ...error.headers },
  });
}

function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  const end = url.indexOf("?", start);
  return start === -1 ? "/" : url.slice(start, end === -1 ? undefined : end);
}

/** Answers a request for the WebSocket path; undefined for every other request. */
export async function upgradeSocket(
  rt: Runtime,
  input: { request: Request; server: Server<unknown> | null; requestId: string },
): Promise<Response | undefined> {
  const { request, server } = input;
  if (pathOf(request.url) !== rt.options.wsPath) return;
  try {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket" || !server)
      throw new LucentError(
        "VALIDATION_ERROR",
        `${rt.options.wsPath} takes WebSocket connections only`,
      );
    const url = new URL(request.url);
    const caller = await callerOf(rt, request, url.searchParams.get("ticket"));
    const connection = openConnection(rt, caller);
    const session = new WsSession(rt, connection, request);
    let answered = true;
    const handlers: SocketHandlers = {
      open(ws) {
        const transport: Transport = {
          write(frame) {
            // -1: queued behind backpressure; only then is the backlog worth measuring.
            return ws.send(frame) === -1 ? ws.getBufferedAmount() : 0;
          },
          heartbeat() {
            if (!answered) return connection.end("no_pong");
            answered = false;
            ws.ping();
          },
          end(reason) {
            ws.close(CLOSE[reason], reason);
          },
        };
        connection.fanout = {
          subscribe: (topic) => void ws.subscribe(topic),
          unsubscribe: (topic) => {
            if (!connection.closed) ws.unsubscribe(topic);
          },
          publish: (topic, frame) => void (server as Server<SocketHandlers>).publish(topic, frame),
          checkBacklog: () => {
            if (ws.getBufferedAmount() > rt.options.maxBacklogBytes) connection.end("slow_reader");
          },
        };
        connection.attach(transport);
      },
      message(_ws, data) {
        void session.receive(data);
      },
      close() {
        connection.closed_();
      },
      pong() {
        answered = true;
      },
    };
    if ((server as Server<SocketHandlers>).upgrade(request, { data: handlers })) {
      // Bun ignores the response of an upgraded request.
      return new Response(null, { status: 101 });
    }
    connection.closed_();
    throw new LucentError("VALIDATION_ERROR", "the WebSocket upgrade failed");
  } catch (error) {
    if (error instanceof LucentError) return errorResponse(error, input.requestId);
    rt.ctx.logger.error({ err: error }, "realtime upgrade failed");
    return errorResponse(new LucentError("INTERNAL", "internal error"), input.requestId);
  }
}
