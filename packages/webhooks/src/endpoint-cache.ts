/**
 * The enabled endpoints and their filters, in memory: matching a write
 * against them costs no query, so a write that no endpoint wants costs
 * nothing. It is reloaded whenever an endpoint changes here or on another
 * instance (the change feed), when the module disables one, and on every sweep.
 */
import type { DatabaseAdapter, Logger, ResolvedCollection } from "@lucent/core";
import { sql } from "drizzle-orm";
import { matchesFilters, type WriteOperation } from "./event-filter.ts";
import { col, table } from "./sql-rows.ts";

export interface CachedEndpoint {
  id: string;
  events: readonly string[];
}

export interface EndpointCache {
  /** Enabled endpoints whose filters take this change. */
  matching(collection: string, operation: WriteOperation): CachedEndpoint[];
  reload(): Promise<void>;
}

export function createEndpointCache(
  db: DatabaseAdapter,
  endpoints: ResolvedCollection,
  logger: Logger,
): EndpointCache {
  let list: CachedEndpoint[] = [];
  let generation = 0;
  return {
    matching(collection, operation) {
      if (list.length === 0) return [];
      return list.filter((e) => matchesFilters(e.events, collection, operation));
    },
    async reload() {
      const mine = ++generation;
      try {
        const rows = await db.execute<{ id: string; events: unknown }>(
          sql`select id, ${col(endpoints, "events")} as events from ${table(endpoints)}
              where ${col(endpoints, "enabled")} is not false order by id`,
        );
        // A slower, older reload must not overwrite a newer one.
        if (mine !== generation) return;
        list = rows.map((r) => ({
          id: String(r.id),
          events: Array.isArray(r.events) ? (r.events as string[]) : [],
        }));
      } catch (err) {
        logger.error({ err }, "@lucent/webhooks: could not load the endpoints");
      }
    },
  };
}
