/**
 * `webhooks(options)`: every committed create, update and delete delivered
 * once per matching endpoint, through the job queue, signed by the Standard
 * Webhooks scheme, retried with backoff, each attempt recorded and listed at
 * `/api/webhooks/:id/deliveries` (CONTRACT §15).
 */
import {
  type CollectionHooks,
  type KernelContext,
  type LucentModule,
  mountRoutes,
  routesOpenApi,
} from "@lucent/core";
import {
  attemptsCollection,
  deliveriesCollection,
  ENDPOINTS,
  endpointsCollection,
  OWN_COLLECTIONS,
} from "./collections.ts";
import { checkConfigEndpoints, upsertConfigEndpoints } from "./config-endpoints.ts";
import { deliver } from "./deliver.ts";
import { endpointHooks } from "./endpoint-hooks.ts";
import {
  type ResolvedWebhooksOptions,
  resolveWebhooksOptions,
  type WebhooksOptions,
  webhooksOptionsSchema,
} from "./options.ts";
import { outboxHooks, prune, sweep } from "./outbox.ts";
import { webhookRoutes } from "./routes.ts";
import { createRuntime, DELIVER_JOB, type DeliverJobData, type Runtime } from "./runtime.ts";
import { KEY_ENV } from "./secret-keeper.ts";

export interface WebhooksApi {
  /** Enqueues pending deliveries that never reached the queue (the sweep runs this on a timer). */
  sweep(olderThanMs?: number): Promise<number>;
  /** Reloads the endpoints the write path matches against. */
  reload(): Promise<void>;
}

declare module "@lucent/core" {
  interface LucentModuleApis {
    webhooks: WebhooksApi;
  }
}

const PRUNE_EVERY_MS = 60 * 60 * 1000;

function checkCollections(collections: readonly { slug: string }[]) {
  for (const c of collections)
    if (OWN_COLLECTIONS.has(c.slug))
      throw new Error(
        `@lucent/webhooks: a collection is already named "${c.slug}"; the module needs that name`,
      );
}

async function setup(
  ctx: KernelContext,
  options: ResolvedWebhooksOptions,
  runtimes: WeakMap<KernelContext, Runtime>,
) {
  const rt = createRuntime(ctx, options);
  checkConfigEndpoints(rt);
  // Without @lucent/secrets, secrets are sealed under WEBHOOKS_SECRET_KEY: a missing one stops startup in production.
  if (!ctx.getModule("@lucent/secrets")) await ctx.secret(KEY_ENV, { minBytes: 32 });
  runtimes.set(ctx, rt);
  await upsertConfigEndpoints(rt);
  await rt.cache.reload();

  const hooks: Record<string, CollectionHooks> = { [ENDPOINTS]: endpointHooks(rt) };
  for (const slug of rt.eventCollections) hooks[slug] = outboxHooks(rt, slug);
  // Every instance reloads when an endpoint changes anywhere (local writes and the bus).
  const stopListening = ctx.changes.subscribe((event) =>
    event.collection === ENDPOINTS ? rt.cache.reload() : undefined,
  );
  const routes = webhookRoutes(rt);
  let timer: ReturnType<typeof setInterval> | undefined;
  let prunedAt = 0;
  const sweepNow = async () => {
    try {
      await rt.cache.reload();
      await sweep(rt, options.sweepMs);
      if (options.retentionDays > 0 && Date.now() - prunedAt > PRUNE_EVERY_MS) {
        prunedAt = Date.now();
        await prune(rt, options.retentionDays);
      }
    } catch (err) {
      ctx.logger.error({ err }, "@lucent/webhooks: sweep failed");
    }
  };
  return {
    api: {
      sweep: (olderThanMs = options.sweepMs) => sweep(rt, olderThanMs),
      reload: () => rt.cache.reload(),
    },
    hooks,
    routes: mountRoutes("@lucent/webhooks", routes),
    openapi: () => routesOpenApi(routes, { tags: ["webhooks"], security: [{ bearerAuth: [] }] }),
    start() {
      timer = setInterval(sweepNow, options.sweepMs);
      timer.unref?.();
      void sweepNow();
    },
    stop() {
      stopListening();
      if (timer) clearInterval(timer);
    },
  };
}

export function webhooks(options: WebhooksOptions = {}) {
  const resolved = resolveWebhooksOptions(options);
  // This declaration may serve several kernels; each job run finds its own kernel's runtime.
  const runtimes = new WeakMap<KernelContext, Runtime>();
  return {
    name: "@lucent/webhooks",
    optionsSchema: webhooksOptionsSchema,
    options,
    apiKey: "webhooks",
    extendCollections: (collections) => {
      checkCollections(collections);
      return [
        ...collections,
        endpointsCollection(resolved),
        deliveriesCollection(resolved),
        attemptsCollection(resolved),
      ];
    },
    jobs: {
      [DELIVER_JOB]: {
        handler: (data: DeliverJobData, { kernel, attempt }) => {
          const rt = runtimes.get(kernel);
          if (!rt)
            throw new Error(
              "@lucent/webhooks: delivery job ran in a kernel without the module set up",
            );
          return deliver(rt, data.deliveryId, attempt);
        },
        attempts: resolved.attempts,
        backoff: resolved.backoff,
        concurrency: 4,
      },
    },
    setup: (ctx) => setup(ctx, resolved, runtimes),
  } satisfies LucentModule<"webhooks", WebhooksApi>;
}
