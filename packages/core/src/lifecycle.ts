/** The kernel's lifecycle emitter: modules listen, the engine emits after commit. */
import type { Lifecycle, LifecycleEvents } from "./kernel.ts";
import type { Logger } from "./logger.ts";

type Listener<E extends keyof LifecycleEvents> = (
  payload: LifecycleEvents[E],
) => void | Promise<void>;

export interface LifecycleEmitter extends Lifecycle {
  emit<E extends keyof LifecycleEvents>(event: E, payload: LifecycleEvents[E]): Promise<void>;
}

export function createLifecycle(logger: Logger): LifecycleEmitter {
  const listeners = new Map<keyof LifecycleEvents, Set<Listener<keyof LifecycleEvents>>>();
  return {
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(listener as Listener<keyof LifecycleEvents>);
      return () => set.delete(listener as Listener<keyof LifecycleEvents>);
    },
    async emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) {
        try {
          await listener(payload);
        } catch (error) {
          // The write has committed; a listener's failure is logged, not returned to the caller.
          logger.error({ err: error, event }, "lifecycle listener failed");
        }
      }
    },
  };
}
