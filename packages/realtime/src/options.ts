/** Options of `realtime()`, their defaults, and the one place they are resolved. */
import { z } from "zod";

export interface RealtimeOptions {
  /** Changes kept per collection for resume; older ones are pruned. @default 10000 */
  retainEvents?: number;
  /** Longest a change is kept for resume, in seconds. @default 86400 (24 hours) */
  retainSeconds?: number;
  /** How often retention is applied, in ms. @default 60000 */
  pruneIntervalMs?: number;
  /** How often each instance checks the outbox for changes no notification announced, in ms. @default 1000 */
  pollIntervalMs?: number;
  /** Subscriptions one connection may hold (CONTRACT §9). @default 100 */
  maxSubscriptions?: number;
  /** Bytes a connection may have queued and unread before it is dropped. @default 1048576 (1 MiB) */
  maxBacklogBytes?: number;
  /** Heartbeat period: an SSE comment and a WebSocket ping, in ms. @default 25000 */
  heartbeatMs?: number;
  /** How often the credentials of open connections are checked again, in ms. @default 30000 */
  authCheckMs?: number;
  /** Lifetime of a ticket from `POST /realtime/ticket`, in seconds. @default 30 */
  ticketSeconds?: number;
  /** The WebSocket path, at the root of the app (not under the API prefix). @default "/ws" */
  wsPath?: string;
  /**
   * The event bus between instances: `auto` picks Redis when `redisUrl` or
   * REDIS_URL is set, Postgres LISTEN/NOTIFY when the database is Postgres,
   * and the in-process bus otherwise. @default "auto"
   */
  bus?: "auto" | "redis" | "postgres" | "memory";
  /** Redis for the bus. @default the REDIS_URL environment variable */
  redisUrl?: string;
}

export type ResolvedRealtimeOptions = Required<Omit<RealtimeOptions, "redisUrl">> & {
  redisUrl: string | undefined;
};

const positive = z.number().int().positive();

export const realtimeOptionsSchema = z
  .object({
    retainEvents: positive.optional(),
    retainSeconds: positive.optional(),
    pruneIntervalMs: positive.optional(),
    pollIntervalMs: positive.optional(),
    maxSubscriptions: positive.max(10_000).optional(),
    maxBacklogBytes: positive.optional(),
    heartbeatMs: positive.optional(),
    authCheckMs: positive.optional(),
    ticketSeconds: positive.max(3600).optional(),
    wsPath: z
      .string()
      .regex(/^\/[A-Za-z0-9._~/-]*$/, "must be a path such as /ws")
      .optional(),
    bus: z.enum(["auto", "redis", "postgres", "memory"]).optional(),
    redisUrl: z
      .string()
      .regex(/^rediss?:\/\//, "must start with redis:// or rediss://")
      .optional(),
  })
  .strict();

export function resolveOptions(options: RealtimeOptions): ResolvedRealtimeOptions {
  return {
    retainEvents: options.retainEvents ?? 10_000,
    retainSeconds: options.retainSeconds ?? 86_400,
    pruneIntervalMs: options.pruneIntervalMs ?? 60_000,
    pollIntervalMs: options.pollIntervalMs ?? 1000,
    maxSubscriptions: options.maxSubscriptions ?? 100,
    maxBacklogBytes: options.maxBacklogBytes ?? 1024 * 1024,
    heartbeatMs: options.heartbeatMs ?? 25_000,
    authCheckMs: options.authCheckMs ?? 30_000,
    ticketSeconds: options.ticketSeconds ?? 30,
    wsPath: options.wsPath ?? "/ws",
    bus: options.bus ?? "auto",
    redisUrl: options.redisUrl ?? (Bun.env.REDIS_URL || undefined),
  };
}
