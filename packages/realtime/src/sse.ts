/**
 * `GET <prefix>/realtime/:slug`: one subscription as a text/event-stream
 * (CONTRACT §9). Events carry `id: <epoch>:<seq>`; `Last-Event-ID` resumes.
 */
import { parseJsonInput, ValidationError, type Where } from "@lucent/core";
import type { EndReason, Transport } from "./connection.ts";
import { parseCursor } from "./cursor.ts";
import { sseEvent, sseFramer } from "./frames.ts";
import { callerOf, openConnection, type Runtime, subscribe } from "./runtime.ts";

const PARAMS = new Set(["where", "ticket"]);

const END_EVENTS: Record<EndReason, string> = {
  auth_expired: sseEvent("auth_expired", { reason: "auth_expired" }),
  shutting_down: sseEvent("shutdown", { reason: "shutting_down", reconnect: true }),
  slow_reader: "",
  no_pong: "",
};

function readParams(url: URL): { where: Where | undefined; ticket: string | null } {
  for (const key of url.searchParams.keys()) {
    if (!PARAMS.has(key))
      throw new ValidationError([{ path: key, message: "unknown parameter (where, ticket)" }]);
    if (url.searchParams.getAll(key).length > 1)
      throw new ValidationError([{ path: key, message: "may appear once" }]);
  }
  const raw = url.searchParams.get("where");
  const where = raw === null ? undefined : parseJsonInput(raw, "where");
  if (where !== undefined && (typeof where !== "object" || where === null || Array.isArray(where)))
    throw new ValidationError([{ path: "where", message: "must be a JSON object" }]);
  return { where: where as Where | undefined, ticket: url.searchParams.get("ticket") };
}

export async function openEventStream(
  rt: Runtime,
  request: Request,
  slug: string,
): Promise<Response> {
  const url = new URL(request.url);
  const { where, ticket } = readParams(url);
  const lastEventId = request.headers.get("last-event-id");
  const from = lastEventId === null || lastEventId === "" ? null : parseCursor(lastEventId);
  if (lastEventId && !from)
    throw new ValidationError([
      { path: "Last-Event-ID", message: "must be an event id: <epoch>:<seq>" },
    ]);
  const caller = await callerOf(rt, request, ticket);
  const connection = openConnection(rt, caller);
  const sink = directSink(() => connection.closed_());
  request.signal.addEventListener("abort", () => connection.closed_());
  const transport: Transport = {
    write: (frame) => sink.write(frame),
    heartbeat: () => void sink.write(": heartbeat\n\n"),
    end(reason) {
      // A slow reader's backlog is what must go: no goodbye queued behind it.
      if (reason !== "slow_reader") sink.write(END_EVENTS[reason]);
      sink.close(reason === "slow_reader");
    },
  };
  sink.write("retry: 1000\n\n");
  connection.attach(transport);
  try {
    const sub = await subscribe(rt, connection, {
      collection: slug,
      where,
      framer: sseFramer(),
      req: request,
      from,
      onReady: (cursor, reset) => {
        connection.send(
          reset
            ? sseFramer().reset(cursor)
            : `id: ${cursor}\nevent: subscribed\ndata: {"cursor":"${cursor}"}\n\n`,
        );
      },
    });
    connection.subscriptions.set("sse", sub);
  } catch (error) {
    connection.closed_();
    throw error;
  }
  return new Response(sink.stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
    },
  });
}

/**
 * A direct stream (Bun): frames go to the socket without a JavaScript queue.
 * A write the socket cannot take yet returns a promise; the bytes of those
 * still pending are the client's backlog.
 */
function directSink(onCancel: () => void) {
  let controller: DirectController | null = null;
  let ended: (() => void) | null = null;
  const early: string[] = [];
  let backlog = 0;
  let flushing = false;
  let closed = false;
  const write = (frame: string): number => {
    if (closed) return 0;
    if (!controller) {
      early.push(frame);
      return 0;
    }
    const written = controller.write(frame);
    if (written instanceof Promise) {
      backlog += frame.length;
      written.then(
        () => {
          backlog -= frame.length;
        },
        () => onCancel(),
      );
    }
    if (!flushing) {
      flushing = true;
      queueMicrotask(() => {
        flushing = false;
        if (!closed) void Promise.resolve(controller?.flush()).catch(() => onCancel());
      });
    }
    return backlog;
  };
  const stream = new ReadableStream({
    type: "direct",
    pull(c: DirectController) {
      controller = c;
      for (const frame of early.splice(0)) write(frame);
      return new Promise<void>((resolve) => {
        ended = resolve;
      });
    },
    cancel: onCancel,
  } as unknown as UnderlyingDefaultSource<string>);
  return {
    stream: stream as unknown as BodyInit,
    write,
    close(abort: boolean) {
      if (closed) return;
      closed = true;
      try {
        if (abort) controller?.close(new Error("slow reader"));
        else {
          void Promise.resolve(controller?.flush()).catch(() => {});
          controller?.close();
        }
      } catch {
        // The client is gone already.
      }
      ended?.();
    },
  };
}

interface DirectController {
  write(data: string): number | Promise<number>;
  flush(): number | Promise<number>;
  close(error?: Error): void;
}
