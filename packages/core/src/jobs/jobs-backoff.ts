/** Retry policy shared by the job drivers: defaults and the delay before a retry. */
import type { BackoffOptions, EnqueueOptions, JobDefinition } from "./jobs-types.ts";

export const DEFAULT_ATTEMPTS = 3;
export const DEFAULT_BACKOFF: BackoffOptions = { type: "exponential", delay: 1000 };

/** A number is shorthand for an exponential backoff with that base delay. */
export function normalizeBackoff(backoff: BackoffOptions | number | undefined): BackoffOptions {
  if (backoff === undefined) return DEFAULT_BACKOFF;
  if (typeof backoff === "number") return { type: "exponential", delay: backoff };
  return { type: backoff.type ?? "exponential", delay: backoff.delay ?? DEFAULT_BACKOFF.delay };
}

/** Milliseconds to wait after try number `attempt` (1 for the first) failed. */
export function backoffDelay(backoff: BackoffOptions, attempt: number): number {
  if (backoff.type === "fixed") return backoff.delay;
  return backoff.delay * 2 ** Math.max(0, attempt - 1);
}

/** What a job gets when enqueued: its own options first, then its definition's, then ours. */
export function resolveRetry(
  options: EnqueueOptions,
  definition: Pick<JobDefinition<never, never>, "attempts" | "backoff"> | undefined,
): { attempts: number; backoff: BackoffOptions } {
  const attempts = options.attempts ?? definition?.attempts ?? DEFAULT_ATTEMPTS;
  return {
    attempts: Math.max(1, Math.floor(attempts)),
    backoff: normalizeBackoff(options.backoff ?? definition?.backoff),
  };
}
