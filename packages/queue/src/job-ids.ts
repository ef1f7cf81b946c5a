/**
 * Job ids across queues. BullMQ runs one queue per job name (so each name has
 * its own worker and concurrency) and its ids are only unique inside a queue,
 * so a Lucent id carries the queue: `<queue>:<bullmq id>`.
 */

/** BullMQ forbids ':' in queue names; job names may hold one ("mail:send"). */
export function queueName(jobName: string): string {
  // "~" is left alone by encodeURIComponent, so it is escaped first to keep the mapping reversible.
  return encodeURIComponent(jobName).replaceAll("~", "%7E").replaceAll("%", "~");
}

export function jobName(queue: string): string {
  return decodeURIComponent(queue.replaceAll("~", "%"));
}

export function encodeJobId(jobName: string, bullId: string): string {
  return `${queueName(jobName)}:${bullId}`;
}

/** Splits at the first ':' only: BullMQ's own ids may hold more (`repeat:…`). */
export function decodeJobId(id: string): { name: string; bullId: string } | null {
  const at = id.indexOf(":");
  if (at <= 0 || at === id.length - 1) return null;
  try {
    return { name: jobName(id.slice(0, at)), bullId: id.slice(at + 1) };
  } catch {
    return null;
  }
}
