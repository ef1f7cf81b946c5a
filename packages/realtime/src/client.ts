/**
 * A small typed client for the WebSocket endpoint (browsers and Bun):
 * `subscribe(collection, { where, snapshot })` that resumes by itself. After
 * a dropped connection it reconnects with backoff and resubscribes from the
 * last cursor it saw, so no change is missed or seen twice.
 *
 * ```ts
 * const rt = realtimeClient({ url: "wss://api.example.com/ws", ticket: getTicket });
 * const sub = rt.subscribe("posts", { where: { status: { eq: "published" } }, snapshot: true,
 *   onSnapshot: (docs) => render(docs), onEvent: (e) => apply(e), onReset: () => refetch() });
 * sub.unsubscribe();
 * ```
 */
import type { CollectionSlug, DocOf, WhereOf } from "@lucent/core";

export interface RealtimeEvent<D> {
  operation: "create" | "update" | "delete";
  id: string;
  doc: D;
  cursor: string;
}

export interface SubscribeOptions<S extends CollectionSlug> {
  where?: WhereOf<S>;
  /** First send the first page of the query, then the events after it. @default false */
  snapshot?: boolean;
  onEvent(event: RealtimeEvent<DocOf<S>>): void;
  onSnapshot?(docs: DocOf<S>[]): void;
  /** The server could not resume exactly (history past retention): refetch. */
  onReset?(): void;
  onError?(error: { code: string; message: string }): void;
}

export interface RealtimeClientOptions {
  /** `ws(s)://host/ws` */
  url: string;
  /** A fresh ticket for each connection (`POST /api/realtime/ticket`), for browsers on another origin. */
  ticket?: () => Promise<string>;
  /** Headers for each connection (Bun only: browsers send cookies themselves). */
  headers?: () => Record<string, string>;
  /** Longest wait between reconnects, in ms. @default 5000 */
  maxBackoffMs?: number;
}

export interface RealtimeClient {
  subscribe<S extends CollectionSlug>(
    collection: S,
    options: SubscribeOptions<S>,
  ): { unsubscribe(): void };
  close(): void;
}

interface Entry {
  collection: string;
  options: SubscribeOptions<CollectionSlug>;
  /** The cursor of the last event or snapshot seen: where a resubscribe resumes. */
  cursor: string | null;
}

type ServerMessage = { type: string; subscription?: string; id?: string } & Record<string, unknown>;

export function realtimeClient(options: RealtimeClientOptions): RealtimeClient {
  const entries = new Map<string, Entry>();
  let socket: WebSocket | null = null;
  let closed = false;
  let attempt = 0;
  let next = 0;

  const send = (message: unknown) => {
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  };
  const subscribeMessage = (id: string, entry: Entry) => ({
    type: "subscribe",
    id,
    collection: entry.collection,
    ...(entry.options.where ? { where: entry.options.where } : {}),
    ...(entry.cursor ? { since: entry.cursor } : entry.options.snapshot ? { snapshot: true } : {}),
  });

  const receive = (message: ServerMessage) => {
    const entry = entries.get(String(message.subscription ?? message.id));
    if (!entry) return;
    switch (message.type) {
      case "subscribed":
        attempt = 0;
        entry.cursor ??= String(message.cursor);
        return;
      case "snapshot":
        entry.cursor = String(message.cursor);
        entry.options.onSnapshot?.(message.docs as DocOf<CollectionSlug>[]);
        return;
      case "event":
        entry.cursor = String(message.cursor);
        entry.options.onEvent(message as unknown as RealtimeEvent<DocOf<CollectionSlug>>);
        return;
      case "reset":
        entry.cursor = String(message.cursor);
        entry.options.onReset?.();
        return;
      case "error":
        entry.options.onError?.({ code: String(message.code), message: String(message.message) });
    }
  };

  const connect = async () => {
    if (closed) return;
    let url = options.url;
    try {
      if (options.ticket)
        url += `${url.includes("?") ? "&" : "?"}ticket=${encodeURIComponent(await options.ticket())}`;
    } catch {
      return reconnect();
    }
    const headers = options.headers?.();
    // Bun's WebSocket takes headers as a second argument; browsers never get them.
    const ws = headers
      ? new WebSocket(url, { headers } as unknown as string[])
      : new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      for (const [id, entry] of entries) send(subscribeMessage(id, entry));
    };
    ws.onmessage = (e) => receive(JSON.parse(String(e.data)) as ServerMessage);
    ws.onclose = () => {
      if (socket === ws) reconnect();
    };
  };

  const reconnect = () => {
    socket = null;
    if (closed) return;
    const delay =
      Math.min(options.maxBackoffMs ?? 5000, 100 * 2 ** attempt++) * (0.5 + Math.random() / 2);
    setTimeout(() => void connect(), delay);
  };

  void connect();
  return {
    subscribe(collection, subscribeOptions) {
      const id = `s${++next}`;
      const entry: Entry = {
        collection,
        options: subscribeOptions as unknown as SubscribeOptions<CollectionSlug>,
        cursor: null,
      };
      entries.set(id, entry);
      send(subscribeMessage(id, entry));
      return {
        unsubscribe() {
          entries.delete(id);
          send({ type: "unsubscribe", id });
        },
      };
    },
    close() {
      closed = true;
      socket?.close();
    },
  };
}
