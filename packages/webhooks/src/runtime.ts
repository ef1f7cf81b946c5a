/** One kernel's webhooks: what setup builds and the hooks, routes and job handler share. */
import type { KernelContext, ResolvedCollection } from "@lucent/core";
import { ATTEMPTS, DELIVERIES, ENDPOINTS } from "./collections.ts";
import { createEndpointCache, type EndpointCache } from "./endpoint-cache.ts";
import type { ResolvedWebhooksOptions } from "./options.ts";
import { createSecretKeeper, type SecretKeeper } from "./secret-keeper.ts";
import type { TargetPolicy } from "./target.ts";

export const DELIVER_JOB = "lucent-webhooks:deliver";

export interface DeliverJobData {
  deliveryId: string;
}

export interface Runtime {
  ctx: KernelContext;
  options: ResolvedWebhooksOptions;
  endpoints: ResolvedCollection;
  deliveries: ResolvedCollection;
  attempts: ResolvedCollection;
  keeper: SecretKeeper;
  cache: EndpointCache;
  policy: TargetPolicy;
  /** Collections an event filter may name: all but the module's own. */
  eventCollections: ReadonlySet<string>;
}

export function createRuntime(ctx: KernelContext, options: ResolvedWebhooksOptions): Runtime {
  const endpoints = ctx.collections.get(ENDPOINTS)!;
  const configSecrets = new Map(options.endpoints.map((e) => [e.name, e.secret]));
  const eventCollections = new Set(
    [...ctx.collections.keys()].filter(
      (slug) => slug !== ENDPOINTS && slug !== DELIVERIES && slug !== ATTEMPTS,
    ),
  );
  return {
    ctx,
    options,
    endpoints,
    deliveries: ctx.collections.get(DELIVERIES)!,
    attempts: ctx.collections.get(ATTEMPTS)!,
    keeper: createSecretKeeper(ctx, configSecrets),
    cache: createEndpointCache(ctx.db, endpoints, ctx.logger),
    policy: {
      allowPrivate: options.allowPrivate,
      allowTargets: options.allowTargets,
      resolve: options.resolve,
    },
    eventCollections,
  };
}

/** Enqueues a delivery; the key keeps a sweep or a redelivery from doubling a job that is still queued. */
export function enqueueDelivery(rt: Runtime, deliveryId: string) {
  return rt.ctx.jobs.enqueue<DeliverJobData>(
    DELIVER_JOB,
    { deliveryId },
    { attempts: rt.options.attempts, backoff: rt.options.backoff, dedupeKey: deliveryId },
  );
}
