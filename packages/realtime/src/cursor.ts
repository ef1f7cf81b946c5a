/** Event ids and cursors: `<epoch>:<seq>` (CONTRACT §9). */

export interface Cursor {
  epoch: string;
  seq: number;
}

const CURSOR = /^([A-Za-z0-9_-]{1,64}):(0|[1-9][0-9]{0,15})$/;

export function formatCursor(cursor: Cursor): string {
  return `${cursor.epoch}:${cursor.seq}`;
}

/** The cursor in `text`, or null when it is not one: a client's cursor is untrusted input. */
export function parseCursor(text: unknown): Cursor | null {
  if (typeof text !== "string") return null;
  const match = CURSOR.exec(text);
  if (!match) return null;
  const seq = Number(match[2]);
  return Number.isSafeInteger(seq) ? { epoch: match[1]!, seq } : null;
}

/** A new epoch: it names one history of a collection's changes. */
export function newEpoch(): string {
  return Bun.randomUUIDv7("base64url").replace(/[^A-Za-z0-9_-]/g, "");
}
