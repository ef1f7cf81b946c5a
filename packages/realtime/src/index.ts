/**
 * `@lucent/realtime`: committed changes over SSE (`<prefix>/realtime/:slug`)
 * and WebSocket (`/ws`), filtered by each subscriber's read access, with
 * exact resume across instances (CONTRACT §9).
 */
import type { LucentModule } from "@lucent/core";
import { selectBus } from "./bus-select.ts";
import { setupRealtime } from "./module.ts";
import { type RealtimeOptions, realtimeOptionsSchema, resolveOptions } from "./options.ts";
import { realtimeTables } from "./tables.ts";

export type { PostgresBusOptions } from "./bus-postgres.ts";
export { postgresBus } from "./bus-postgres.ts";
export type { RedisBusOptions } from "./bus-redis.ts";
export { redisBus } from "./bus-redis.ts";
export { type Cursor, formatCursor, parseCursor } from "./cursor.ts";
export type { RealtimeApi } from "./module.ts";
export type { RealtimeOptions } from "./options.ts";
export { realtimeOptionsSchema } from "./options.ts";
export { parseTicket } from "./ticket.ts";
export { type ClientMessage, parseClientMessage } from "./ws-protocol.ts";

export function realtime(options: RealtimeOptions = {}) {
  return {
    name: "@lucent/realtime",
    apiKey: "realtime",
    optionsSchema: realtimeOptionsSchema,
    options,
    tables: realtimeTables,
    // The bus carries the change feed between instances: it is what wakes the others.
    drivers: { bus: (ctx) => selectBus(ctx, resolveOptions(options)) },
    setup: (ctx) => setupRealtime(ctx, resolveOptions(options)),
  } satisfies LucentModule<"realtime">;
}
