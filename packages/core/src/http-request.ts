/** Per-request state kept beside the Request: its id, start time and logger. */
import type { Logger } from "./logger.ts";

export interface RequestState {
  id: string;
  start: number;
  logger: Logger;
}

const states = new WeakMap<Request, RequestState>();
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Keeps a sane client-sent X-Request-Id, generates one otherwise. */
export function beginRequest(request: Request, logger: Logger): RequestState {
  const sent = request.headers.get("x-request-id");
  const id = sent && SANE_ID.test(sent) ? sent : Bun.randomUUIDv7();
  const state = { id, start: performance.now(), logger: logger.child({ requestId: id }) };
  states.set(request, state);
  return state;
}

export function requestState(request: Request): RequestState | undefined {
  return states.get(request);
}

export function parseCookies(header: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 1) continue;
    const name = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    try {
      out[name] = decodeURIComponent(raw);
    } catch {
      out[name] = raw;
    }
  }
  return out;
}
