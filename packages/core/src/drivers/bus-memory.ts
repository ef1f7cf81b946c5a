/**
 * The embedded event bus: in-process publish/subscribe, delivered before
 * `publish` resolves. It keeps the event bus rules of @lucent/conformance.
 */

import { createLogger, type Logger } from "../kernel/logger.ts";
import type { EventBus } from "./drivers.ts";

export interface MemoryBusOptions {
  /** Where a subscriber's error is reported. @default a Lucent logger (`LOG_LEVEL`) */
  logger?: Logger;
}

type Handler = (message: unknown) => void | Promise<void>;

export function memoryBus(options: MemoryBusOptions = {}): EventBus {
  // One entry per subscribe call, so the same function subscribed twice is two subscriptions.
  const channels = new Map<string, Set<{ handler: Handler }>>();
  const report = (error: unknown, channel: string) =>
    (options.logger ?? createLogger()).error(
      { err: error, channel },
      "event bus subscriber failed",
    );
  return {
    name: "memory",
    async publish(channel, message) {
      for (const subscription of channels.get(channel) ?? []) {
        // One subscriber's failure is its own: the others still hear, the publisher is not failed.
        try {
          const result = subscription.handler(message);
          if (result instanceof Promise) result.catch((error) => report(error, channel));
        } catch (error) {
          report(error, channel);
        }
      }
    },
    subscribe(channel, handler) {
      let subscriptions = channels.get(channel);
      if (!subscriptions) {
        subscriptions = new Set();
        channels.set(channel, subscriptions);
      }
      const subscription = { handler };
      subscriptions.add(subscription);
      return () => {
        subscriptions.delete(subscription);
        if (subscriptions.size === 0 && channels.get(channel) === subscriptions) {
          channels.delete(channel);
        }
      };
    },
  };
}
