/**
 * An open client connection, SSE or WebSocket: its caller, the credentials
 * it was opened with, its subscriptions, and how it ends. The registry
 * holds every open one, for heartbeats, credential checks and shutdown.
 */
import type { LucentUser } from "@lucent/core";
import type { Credentials } from "./credentials.ts";
import type { Fanout, Sink, Subscription } from "./subscription.ts";

/** Why the server ends a connection. */
export type EndReason = "auth_expired" | "slow_reader" | "shutting_down" | "no_pong";

export interface Transport {
  /** Queues a frame; returns the bytes now waiting to be written. */
  write(frame: string): number;
  heartbeat(): void;
  end(reason: EndReason): void;
}

export class Connection implements Sink {
  readonly subscriptions = new Map<string, Subscription>();
  closed = false;
  /** Why the server ended it, if it did. */
  ended: EndReason | null = null;
  /** Native topics, once a WebSocket is open. */
  fanout: Fanout | undefined = undefined;
  /** When a bearer token expires, to check right after (ms since epoch). */
  expiresAt: number | null = null;
  private transport: Transport | null = null;
  private readonly pending: string[] = [];

  constructor(
    readonly user: LucentUser | null,
    readonly credentials: Credentials | null,
    private readonly maxBacklogBytes: number,
    private readonly onClose: (connection: Connection) => void,
  ) {}

  /** Frames sent before the transport is open are kept until it is. */
  attach(transport: Transport): void {
    this.transport = transport;
    for (const frame of this.pending.splice(0)) this.send(frame);
  }

  send(frame: string): void {
    if (this.closed) return;
    if (!this.transport) {
      this.pending.push(frame);
      return;
    }
    if (this.transport.write(frame) > this.maxBacklogBytes) this.end("slow_reader");
  }

  heartbeat(): void {
    if (!this.closed) this.transport?.heartbeat();
  }

  /** Ends the connection from the server's side, telling the client why. */
  end(reason: EndReason): void {
    if (this.closed) return;
    this.ended = reason;
    this.transport?.end(reason);
    this.closed_();
  }

  /** The client went away (or `end` ran): leave every subscription. */
  closed_(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose(this);
  }
}

export class Registry {
  readonly open = new Set<Connection>();
  /** Connections the server ended, by reason. */
  readonly ended: Record<EndReason, number> = {
    auth_expired: 0,
    slow_reader: 0,
    shutting_down: 0,
    no_pong: 0,
  };

  add(connection: Connection): void {
    this.open.add(connection);
  }

  delete(connection: Connection): void {
    if (this.open.delete(connection) && connection.ended) this.ended[connection.ended]++;
  }

  heartbeat(): void {
    for (const c of this.open) c.heartbeat();
  }

  endAll(reason: EndReason): void {
    for (const c of [...this.open]) c.end(reason);
  }
}
