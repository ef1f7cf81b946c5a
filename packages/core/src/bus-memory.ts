/** The embedded event bus: in-process publish/subscribe. */
import type { EventBus } from "./drivers.ts";

export function memoryBus(): EventBus {
  const channels = new Map<string, Set<(message: unknown) => void>>();
  return {
    name: "memory",
    async publish(channel, message) {
      for (const handler of channels.get(channel) ?? []) handler(message);
    },
    subscribe(channel, handler) {
      let set = channels.get(channel);
      if (!set) {
        set = new Set();
        channels.set(channel, set);
      }
      set.add(handler);
      return () => {
        set.delete(handler);
      };
    },
  };
}
