/**
 * An event bus on Redis pub/sub. Every bus channel travels on one Redis
 * channel (under `prefix`), so a subscriber needs no round trip to Redis
 * and `*` in a name is never a pattern.
 */
import { createLogger, type EventBus, type Logger } from "@lucent/core";
import { Redis } from "ioredis";
import { type Envelope, Fanout, isEnvelope } from "./bus-fanout.ts";

export interface RedisBusOptions {
  /** `redis://…` */
  url: string;
  /** The Redis channel, so apps sharing a Redis stay apart. @default "lucent:bus" */
  channel?: string;
  logger?: Logger;
  /** A check or publish that Redis does not answer fails after this long, in ms. @default 2000 */
  timeoutMs?: number;
}

export function redisBus(options: RedisBusOptions): EventBus {
  const logger = options.logger ?? createLogger();
  const channel = options.channel ?? "lucent:bus";
  const timeoutMs = options.timeoutMs ?? 2000;
  const pub = new Redis(options.url, { maxRetriesPerRequest: 1, commandTimeout: timeoutMs });
  const sub = new Redis(options.url, { maxRetriesPerRequest: null });
  const fanout = new Fanout(logger);
  for (const client of [pub, sub])
    client.on("error", (err) => logger.warn({ err }, "redis bus connection error"));
  sub.on("message", (from: string, text: string) => {
    if (from !== channel) return;
    let envelope: unknown;
    try {
      envelope = JSON.parse(text);
    } catch {
      return;
    }
    if (isEnvelope(envelope)) fanout.deliver(envelope.c, envelope.m);
  });
  const ready = sub.subscribe(channel);
  ready.catch(() => {});

  return {
    name: "redis",
    async publish(name, message) {
      await ready;
      await pub.publish(channel, JSON.stringify({ c: name, m: message } satisfies Envelope));
    },
    subscribe: (name, handler) => fanout.subscribe(name, handler),
    async check() {
      await ready;
      await pub.ping();
    },
    async stop() {
      fanout.stopped = true;
      await Promise.allSettled([sub.quit(), pub.quit()]);
    },
  };
}
