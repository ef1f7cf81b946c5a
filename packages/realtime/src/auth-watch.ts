/**
 * Checks the credentials of open connections again, so that a connection
 * ends when they expire or are revoked (SSE: an `auth_expired` event; WS:
 * close 4401). Connections that share credentials are checked once.
 */
import type { LucentUser } from "@lucent/core";
import type { Connection } from "./connection.ts";
import { requestWith } from "./credentials.ts";

export type ResolveCaller = (request: Request) => Promise<LucentUser | null>;

/** Whether the credentials still name the same user. */
async function stillValid(resolve: ResolveCaller, connection: Connection): Promise<boolean> {
  try {
    const user = await resolve(requestWith(connection.credentials));
    return user !== null && user.id === connection.user?.id;
  } catch {
    return false;
  }
}

/**
 * Checks `connections`: every signed-in one when `all`, otherwise only those
 * whose bearer token has expired by now.
 */
export async function checkConnections(
  resolve: ResolveCaller,
  connections: Iterable<Connection>,
  all: boolean,
): Promise<void> {
  const verdicts = new Map<string, Promise<boolean>>();
  const now = Date.now();
  for (const connection of [...connections]) {
    if (connection.closed || !connection.user) continue;
    const due = connection.expiresAt !== null && connection.expiresAt <= now;
    if (!all && !due) continue;
    const key = JSON.stringify(connection.credentials);
    let verdict = verdicts.get(key);
    if (!verdict) {
      verdict = stillValid(resolve, connection);
      verdicts.set(key, verdict);
    }
    if (!(await verdict)) connection.end("auth_expired");
  }
}
