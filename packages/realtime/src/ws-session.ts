/**
 * One WebSocket connection's protocol (CONTRACT §9): subscribe, unsubscribe,
 * snapshot, since; every failure is an `error` message naming the
 * subscription, never a dropped connection.
 */
import { LucentError } from "@lucent/core";
import type { Connection } from "./connection.ts";
import { parseCursor } from "./cursor.ts";
import { wsFramer } from "./frames.ts";
import { type Runtime, subscribe } from "./runtime.ts";
import { parseClientMessage, type SubscribeMessage } from "./ws-protocol.ts";

export class WsSession {
  /** Subscription ids being set up: they count against the limit and cannot be reused meanwhile. */
  private readonly joining = new Set<string>();
  private readonly cancelled = new Set<string>();

  constructor(
    private readonly rt: Runtime,
    private readonly connection: Connection,
    private readonly request: Request,
  ) {}

  private reply(message: Record<string, unknown>): void {
    this.connection.send(JSON.stringify(message));
  }

  private error(code: string, message: string, subscription?: string): void {
    this.reply({
      type: "error",
      code,
      message,
      ...(subscription === undefined ? {} : { subscription }),
    });
  }

  async receive(data: string | Buffer): Promise<void> {
    const message = parseClientMessage(data);
    if (message.type === "error") return this.reply({ ...message });
    if (message.type === "unsubscribe") return this.unsubscribe(message.id);
    return this.subscribe(message);
  }

  private unsubscribe(id: string): void {
    const sub = this.connection.subscriptions.get(id);
    if (sub) {
      this.rt.hub.leave(sub);
      this.connection.subscriptions.delete(id);
    } else if (this.joining.has(id)) this.cancelled.add(id);
    else {
      this.error("NOT_FOUND", `no subscription "${id}"`, id);
      return;
    }
    this.reply({ type: "unsubscribed", id });
  }

  private async subscribe(message: SubscribeMessage): Promise<void> {
    const { id } = message;
    if (this.connection.subscriptions.has(id) || this.joining.has(id))
      return this.error("VALIDATION_ERROR", `subscription id "${id}" is already in use`, id);
    if (this.connection.subscriptions.size + this.joining.size >= this.rt.options.maxSubscriptions)
      return this.error(
        "VALIDATION_ERROR",
        `a connection holds at most ${this.rt.options.maxSubscriptions} subscriptions`,
        id,
      );
    const from = message.since === undefined ? null : parseCursor(message.since);
    if (message.since !== undefined && !from)
      return this.error("VALIDATION_ERROR", "since: must be a cursor <epoch>:<seq>", id);
    this.joining.add(id);
    const framer = wsFramer(id);
    try {
      const sub = await subscribe(this.rt, this.connection, {
        collection: message.collection,
        where: message.where,
        framer,
        req: this.request,
        from,
        ...(message.snapshot ? { snapshot: { limit: message.limit, sort: message.sort } } : {}),
        onSnapshot: (page, cursor) =>
          this.connection.send(
            `{"type":"snapshot","subscription":${JSON.stringify(id)},"docs":${JSON.stringify(page.docs)},"cursor":"${cursor.epoch}:${cursor.seq}"}`,
          ),
        onReady: (cursor, reset) => {
          if (reset) this.connection.send(framer.reset(cursor));
          this.reply({ type: "subscribed", id, cursor });
        },
      });
      if (this.cancelled.delete(id) || this.connection.closed) this.rt.hub.leave(sub);
      else this.connection.subscriptions.set(id, sub);
    } catch (error) {
      if (error instanceof LucentError) this.error(error.code, error.message, id);
      else {
        this.rt.ctx.logger.error({ err: error }, "realtime subscribe failed");
        this.error("INTERNAL", "the subscription could not be set up", id);
      }
    } finally {
      this.joining.delete(id);
    }
  }
}
