/** Cron schedules for the built-in queue: each tick is a point in time every process agrees on. */
import { Cron } from "croner";
import { ConfigError } from "../http/errors.ts";

/** Parses a 5- or 6-field expression (seconds first), naming the job when it is wrong. */
export function parseCron(name: string, pattern: string): Cron {
  try {
    return new Cron(pattern, { paused: true });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ConfigError([
      `jobs.${name}.cron: "${pattern}" is not a valid cron expression (${reason})`,
    ]);
  }
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Calls `onTick` with each tick's scheduled time, from the next one on.
 * Ticks missed while no process ran are not replayed. Returns a function that
 * stops the schedule.
 */
export function scheduleCron(cron: Cron, onTick: (tickMs: number) => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const arm = (after: Date) => {
    const next = cron.nextRun(after);
    if (!next || stopped) return;
    const wait = next.getTime() - Date.now();
    if (wait > MAX_TIMER_MS) {
      // setTimeout fires at once past ~24.8 days: wait in steps instead.
      timer = setTimeout(() => arm(after), MAX_TIMER_MS);
      return;
    }
    // Timers can fire a little early; the tick's identity is its scheduled time, never Date.now().
    timer = setTimeout(
      () => {
        if (stopped) return;
        onTick(next.getTime());
        arm(next);
      },
      Math.max(0, wait),
    );
  };
  arm(new Date());
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
