/** Graceful worker shutdown with a bound: BullMQ's close() waits for running jobs without one. */
import type { Worker } from "bullmq";

export async function closeWorkers(workers: readonly Worker[], timeoutMs: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const graceful = Promise.all(workers.map((w) => w.close())).then(() => true);
  const expired = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const drained = await Promise.race([graceful, expired]);
  clearTimeout(timer);
  // Forced close abandons the running jobs' locks: BullMQ's stalled check runs them again.
  if (!drained) await Promise.all(workers.map((w) => w.close(true)));
}
