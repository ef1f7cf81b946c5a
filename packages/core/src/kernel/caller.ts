/**
 * Who is calling: the installed modules' resolvers in module order, the first
 * user wins. Resolved once per request, whoever asks first (core's routes, a
 * module's routes, the app's own through `resolve`), and shared after that.
 */

import { parseCookies } from "../http/http-request.ts";
import type { LucentUser } from "../query/access-types.ts";
import type { ModuleInstance } from "./kernel.ts";

export type ResolveCaller = (request: Request) => Promise<LucentUser | null>;

/** `instances`: the modules' instances, read per call (they exist once setup has run). */
export function createCallerResolver(instances: () => readonly ModuleInstance[]): ResolveCaller {
  const callers = new WeakMap<Request, Promise<LucentUser | null>>();
  const resolve = async (request: Request): Promise<LucentUser | null> => {
    const input = { request, cookies: parseCookies(request.headers.get("cookie")) };
    for (const { resolveUser } of instances()) {
      const user = await resolveUser?.(input);
      if (user) return user;
    }
    return null;
  };
  return (request) => {
    let caller = callers.get(request);
    if (!caller) {
      caller = resolve(request);
      callers.set(request, caller);
    }
    return caller;
  };
}
