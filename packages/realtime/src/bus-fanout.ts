/**
 * The local half of a cross-instance bus: subscriptions by exact channel
 * name, and delivery that one failing subscriber cannot spoil for the
 * others (conformance rules 2, 7, 8).
 */
import type { Logger } from "@lucent/core";

type Handler = (message: unknown) => void | Promise<void>;

export class Fanout {
  private readonly channels = new Map<string, Set<{ handler: Handler }>>();
  stopped = false;

  constructor(private readonly logger: Logger) {}

  subscribe(channel: string, handler: Handler): () => void {
    let subs = this.channels.get(channel);
    if (!subs) {
      subs = new Set();
      this.channels.set(channel, subs);
    }
    // One entry per call: the same handler subscribed twice is two subscriptions.
    const entry = { handler };
    subs.add(entry);
    return () => {
      subs.delete(entry);
      if (subs.size === 0 && this.channels.get(channel) === subs) this.channels.delete(channel);
    };
  }

  deliver(channel: string, message: unknown): void {
    if (this.stopped) return;
    for (const { handler } of this.channels.get(channel) ?? []) {
      try {
        const result = handler(message);
        if (result instanceof Promise) result.catch((err) => this.report(err, channel));
      } catch (err) {
        this.report(err, channel);
      }
    }
  }

  private report(err: unknown, channel: string): void {
    this.logger.error({ err, channel }, "event bus subscriber failed");
  }
}

/** What travels on the one backend channel: the bus channel and the message. */
export interface Envelope {
  c: string;
  m?: unknown;
  /** A message too large for a notification, stored under this id (Postgres). */
  s?: string;
}

export function isEnvelope(value: unknown): value is Envelope {
  return typeof value === "object" && value !== null && typeof (value as Envelope).c === "string";
}
