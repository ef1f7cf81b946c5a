/** Per-request state kept beside the Request: its id, client IP, start time and logger. */
import { isIP } from "node:net";
import type { Logger } from "../kernel/logger.ts";

export interface RequestState {
  id: string;
  /** The client IP, `api.trustProxy` applied; "unknown" without a socket (`app.handle`). */
  ip: string;
  start: number;
  logger: Logger;
}

const states = new WeakMap<Request, RequestState>();
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Keeps a sane client-sent X-Request-Id, generates one otherwise. */
export function beginRequest(request: Request, logger: Logger, ip = "unknown"): RequestState {
  const sent = request.headers.get("x-request-id");
  const id = sent && SANE_ID.test(sent) ? sent : Bun.randomUUIDv7();
  const state = { id, ip, start: performance.now(), logger: logger.child({ requestId: id }) };
  states.set(request, state);
  return state;
}

export function requestState(request: Request): RequestState | undefined {
  return states.get(request);
}

/** The client IP of a request Lucent is serving (`api.trustProxy` applied), for modules. */
export function clientIp(request: Request): string | undefined {
  return states.get(request)?.ip;
}

/** An address as proxies write it: bare, `1.2.3.4:port`, or `[v6]:port`. */
function bareIp(entry: string): string | undefined {
  const ip = /^\[(.+)\](?::\d+)?$/.exec(entry)?.[1] ?? /^([\d.]+):\d+$/.exec(entry)?.[1] ?? entry;
  return isIP(ip) ? ip : undefined;
}

/**
 * Who sent a request. With no proxy trusted it is the socket's address and
 * X-Forwarded-For is ignored (any client can write it). Behind `trustProxy`
 * proxies, each appends the address it received the request from, so the
 * client is that many entries from the right; what lies further left was
 * written by the client and is never believed. An entry that is not an IP
 * address falls back to the socket's.
 */
export function resolveClientIp(input: {
  request: Request;
  socket: string | undefined;
  trustProxy: number;
}): string {
  const socket = input.socket ?? "unknown";
  if (input.trustProxy === 0) return socket;
  const hops = (input.request.headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  if (hops.length === 0) return socket;
  // Fewer entries than proxies: the leftmost is the farthest address any proxy recorded.
  return bareIp(hops[Math.max(0, hops.length - input.trustProxy)]!) ?? socket;
}

export function parseCookies(header: string | null): Record<string, string> {
  // No prototype: a cookie named `__proto__` is kept as a cookie, and a lookup of
  // one that was not sent (`constructor`) finds nothing.
  const out: Record<string, string> = Object.create(null);
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
