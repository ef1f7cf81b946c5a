/** The embedded rate-limit store: fixed windows in a Map, swept as they expire. */
import type { RateLimitStore } from "./drivers.ts";

export function memoryRateLimitStore(): RateLimitStore {
  const windows = new Map<string, { count: number; resetAt: number }>();
  let sweptAt = Date.now();
  return {
    name: "memory",
    async hit(key, windowMs) {
      const now = Date.now();
      if (now - sweptAt > windowMs) {
        for (const [k, w] of windows) if (w.resetAt <= now) windows.delete(k);
        sweptAt = now;
      }
      let entry = windows.get(key);
      if (!entry || entry.resetAt <= now) {
        entry = { count: 0, resetAt: now + windowMs };
        windows.set(key, entry);
      }
      entry.count += 1;
      return { count: entry.count, resetAt: entry.resetAt };
    },
  };
}
