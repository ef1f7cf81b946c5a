/**
 * The wire formats of CONTRACT §9. A document is serialised once per change
 * and visible field set; frames are assembled from that string.
 */
import type { Framer } from "./subscription.ts";

export function sseFramer(): Framer {
  return {
    shareKey: "sse",
    event: ({ collection, operation, id, doc, cursor }) =>
      `id: ${cursor}\nevent: ${operation}\ndata: {"collection":${JSON.stringify(collection)},"operation":"${operation}","id":"${id}","doc":${doc}}\n\n`,
    reset: (cursor) => `id: ${cursor}\nevent: reset\ndata: {"cursor":"${cursor}"}\n\n`,
  };
}

export function wsFramer(subscription: string): Framer {
  const sub = JSON.stringify(subscription);
  return {
    shareKey: `ws${sub}`,
    event: ({ operation, id, doc, cursor }) =>
      `{"type":"event","subscription":${sub},"operation":"${operation}","id":"${id}","doc":${doc},"cursor":"${cursor}"}`,
    reset: (cursor) => `{"type":"reset","subscription":${sub},"cursor":"${cursor}"}`,
  };
}

/** An SSE event carrying a JSON object. */
export function sseEvent(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}
