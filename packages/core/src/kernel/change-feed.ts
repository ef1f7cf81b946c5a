/**
 * The change feed: every committed write, once, to every subscriber on every
 * instance that shares the event bus. A change made here reaches this
 * instance's subscribers first, awaited, before the write answers (so the
 * response cache is clear when the client sees the 2xx); other instances get
 * it through the bus. The bus may echo a publish back to its publisher: the
 * origin stamp drops that echo, so nobody hears a change twice.
 */
import type { EventBus } from "../drivers/drivers.ts";
import type { ChangeEvent, ChangeFeed, ChangeListener } from "./kernel-events.ts";
import type { Logger } from "./logger.ts";

/** The bus channel the feed travels on between instances. */
export const CHANGE_CHANNEL = "lucent:changes";

interface Envelope {
  origin: string;
  event: ChangeEvent;
}

export interface ChangeFeedEmitter extends ChangeFeed {
  /** Sends a committed change to every subscriber, here and on the bus. */
  publish(event: ChangeEvent): Promise<void>;
  /** Leaves the bus. */
  stop(): void;
}

export function createChangeFeed(input: { bus: EventBus; logger: Logger }): ChangeFeedEmitter {
  const { bus, logger } = input;
  const origin = Bun.randomUUIDv7();
  const listeners = new Set<ChangeListener>();

  const deliver = async (event: ChangeEvent, local: boolean) => {
    for (const listener of listeners) {
      try {
        await listener(event, { local });
      } catch (error) {
        // The write has committed; a subscriber's failure is logged, not returned to the caller.
        logger.error({ err: error, collection: event.collection }, "change feed subscriber failed");
      }
    }
  };

  const leave = bus.subscribe(CHANGE_CHANNEL, (message) => {
    const envelope = message as Envelope;
    if (envelope.origin === origin) return;
    void deliver(envelope.event, false);
  });

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async publish(event) {
      await deliver(event, true);
      await bus
        .publish(CHANGE_CHANNEL, { origin, event } satisfies Envelope)
        .catch((err) => logger.error({ err }, "could not publish a change to the bus"));
    },
    stop: leave,
  };
}
