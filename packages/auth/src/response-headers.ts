/**
 * The response headers of the request being answered, for code that sees
 * only the Request: the credential resolver runs inside core's routes as
 * well as ours, and clears a dead session cookie through them.
 */
import { type Context, Elysia } from "elysia";

const responses = new WeakMap<Request, Context["set"]>();

/** Remembers where each request's response headers live; mounted with the module's routes. */
export function trackResponses() {
  return new Elysia({ name: "@lucent/auth/response-headers" }).onRequest(({ request, set }) => {
    responses.set(request, set);
  });
}

/** Sets a header on the response to `request`; a request from outside the app has none to set. */
export function setResponseHeader(request: Request, name: string, value: string): void {
  const set = responses.get(request);
  if (set) set.headers[name] = value;
}
