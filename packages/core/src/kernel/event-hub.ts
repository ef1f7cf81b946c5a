/**
 * Events modules tell each other about, beside committed writes (those travel
 * on the change feed): `ctx.events.emit("auth", { type: "login", ... })`,
 * `ctx.events.on("auth", (event) => ...)`. In-process and per kernel: an
 * event is heard on the instance that emitted it, once, whichever order the
 * modules were set up in. `emit` waits for the listeners (an audit entry is
 * written before the response); one that throws is logged and fails no one.
 */
import type { EventHub, LucentEvents } from "./kernel-events.ts";
import type { Logger } from "./logger.ts";

type Listener = (payload: never) => void | Promise<void>;

export function createEventHub(logger: Logger): EventHub {
  const listeners = new Map<string, Set<Listener>>();
  return {
    on(name, listener) {
      let set = listeners.get(name);
      if (!set) {
        set = new Set();
        listeners.set(name, set);
      }
      const entry = listener as Listener;
      set.add(entry);
      return () => void set.delete(entry);
    },
    async emit<K extends keyof LucentEvents>(name: K, payload: LucentEvents[K]) {
      for (const listener of listeners.get(name) ?? []) {
        try {
          await (listener as (p: LucentEvents[K]) => void | Promise<void>)(payload);
        } catch (err) {
          logger.error({ err, event: name }, "an event listener failed");
        }
      }
    },
  };
}
