/** `webhooks(options)`: endpoints from config, who manages them, how deliveries are tried. */
import type { AccessArgs, BackoffOptions } from "@lucent/core";
import { z } from "zod";
import type { Resolver } from "./target.ts";

export interface ConfigEndpoint {
  /** A stable name: the endpoint's id is derived from it, so its deliveries survive restarts. */
  name: string;
  /** Where to POST, `http://` or `https://`. */
  url: string;
  /** Event filters: `"posts.create"`, `"posts.*"`, `"*.delete"`, `"*"`. */
  events: readonly string[];
  /** The Standard Webhooks secret (`whsec_` + base64 of 24 to 64 bytes) the receiver verifies with. */
  secret: string;
}

export interface WebhooksOptions {
  /** Endpoints declared in code; admins may disable and re-enable them, not edit or delete them. @default [] */
  endpoints?: readonly ConfigEndpoint[];
  /** Tries per delivery, the first included. @default 8 */
  attempts?: number;
  /** Backoff between tries (exponential: delay * 2^(try-1)). @default exponential from 5000 ms */
  backoff?: BackoffOptions;
  /** Longest an attempt may take, in ms, response included. @default 10000 */
  timeoutMs?: number;
  /** An endpoint is disabled after this many deliveries in a row failed every try (0: never). @default 5 */
  disableAfter?: number;
  /** Allow targets on private, loopback and link-local addresses (tests, internal networks). @default false */
  allowPrivate?: boolean;
  /** Hosts (`name`, `name:port`, an IP) allowed whatever they resolve to. @default [] */
  allowTargets?: readonly string[];
  /** Who may manage endpoints and read deliveries. @default a user whose `role` is `"admin"` */
  admin?: (args: AccessArgs) => boolean | Promise<boolean>;
  /** How often pending deliveries that never reached the queue are enqueued again, in ms. @default 30000 */
  sweepMs?: number;
  /** Delivered and failed deliveries older than this many days are deleted (hourly). 0 keeps them. @default 30 */
  retentionDays?: number;
  /** Name resolution, replaceable for tests. @default node:dns lookup with all addresses */
  resolve?: Resolver;
}

export interface ResolvedWebhooksOptions {
  endpoints: readonly ConfigEndpoint[];
  attempts: number;
  backoff: BackoffOptions;
  timeoutMs: number;
  disableAfter: number;
  allowPrivate: boolean;
  allowTargets: ReadonlySet<string>;
  admin: (args: AccessArgs) => boolean | Promise<boolean>;
  sweepMs: number;
  retentionDays: number;
  resolve: Resolver | undefined;
}

const endpointSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be lower-case letters, digits and dashes"),
  url: z.string(),
  events: z.array(z.string()).min(1),
  secret: z.string(),
});

export const webhooksOptionsSchema = z.strictObject({
  endpoints: z.array(endpointSchema).optional(),
  attempts: z.number().int().min(1).max(50).optional(),
  backoff: z
    .strictObject({ type: z.enum(["exponential", "fixed"]), delay: z.number().int().min(0) })
    .optional(),
  timeoutMs: z.number().int().min(1).optional(),
  disableAfter: z.number().int().min(0).optional(),
  allowPrivate: z.boolean().optional(),
  allowTargets: z.array(z.string().min(1)).optional(),
  admin: z.function().optional(),
  sweepMs: z.number().int().min(10).optional(),
  retentionDays: z.number().int().min(0).optional(),
  resolve: z.function().optional(),
});

const isAdmin = ({ user }: AccessArgs) => user?.role === "admin";

export function resolveWebhooksOptions(options: WebhooksOptions): ResolvedWebhooksOptions {
  return {
    endpoints: options.endpoints ?? [],
    attempts: options.attempts ?? 8,
    backoff: options.backoff ?? { type: "exponential", delay: 5000 },
    timeoutMs: options.timeoutMs ?? 10_000,
    disableAfter: options.disableAfter ?? 5,
    allowPrivate: options.allowPrivate ?? false,
    allowTargets: new Set((options.allowTargets ?? []).map((t) => t.toLowerCase())),
    admin: options.admin ?? isAdmin,
    sweepMs: options.sweepMs ?? 30_000,
    retentionDays: options.retentionDays ?? 30,
    resolve: options.resolve,
  };
}
