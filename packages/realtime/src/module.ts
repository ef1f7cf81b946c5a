/**
 * `setup(ctx)`: one kernel's realtime. Outbox rows are written by hooks
 * inside each write's transaction; the change feed (this instance's
 * writes, and the others' through the bus) only wakes the hub, which reads
 * the outbox; a poll catches what a lost notification did not announce.
 */
import { type KernelContext, type ModuleInstance, ordersTextByCodePoint } from "@lucent/core";
import { checkConnections } from "./auth-watch.ts";
import { type EndReason, Registry } from "./connection.ts";
import type { DispatchContext } from "./dispatch.ts";
import { Hub } from "./hub.ts";
import type { ResolvedRealtimeOptions } from "./options.ts";
import { appendChange, ensureStreams, prune } from "./outbox.ts";
import { realtimeOpenApi, realtimeRouteDefinitions, realtimeRoutes } from "./routes.ts";
import type { Runtime } from "./runtime.ts";
import { pruneTickets } from "./ticket.ts";

/** What `lucent.realtime` offers server code and tests. */
export interface RealtimeApi {
  /** Open connections on this instance. */
  connections(): number;
  /** Live subscriptions on this instance. */
  subscriptions(): number;
  /** Database work done to deliver changes (related-document fetches, per-filter probes), and connections ended by reason. */
  stats(): Readonly<DispatchContext["stats"] & { ended: Record<EndReason, number> }>;
  /** Reads the outbox now, as the periodic poll does. */
  poll(): Promise<void>;
  /** Resolves once every change read so far has been delivered. */
  idle(): Promise<void>;
  /** Applies retention now; returns the changes removed. */
  prune(): Promise<number>;
}

declare module "@lucent/core" {
  interface LucentModuleApis {
    realtime: RealtimeApi;
  }
}

function hooksFor(slugs: readonly string[]) {
  return Object.fromEntries(
    slugs.map((slug) => [
      slug,
      {
        afterChange: [
          async ({ doc, originalDoc, operation, lucent }) => {
            await appendChange(lucent.db, {
              collection: slug,
              operation: operation === "create" ? "create" : "update",
              doc,
              previousDoc: originalDoc,
            });
            return undefined;
          },
        ],
        afterDelete: [
          async ({ doc, lucent }) => {
            await appendChange(lucent.db, { collection: slug, operation: "delete", doc });
            return undefined;
          },
        ],
      } satisfies NonNullable<ModuleInstance["hooks"]>[string],
    ]),
  );
}

export async function setupRealtime(
  ctx: KernelContext,
  options: ResolvedRealtimeOptions,
): Promise<ModuleInstance<RealtimeApi>> {
  const slugs = [...ctx.collections.keys()];
  await ensureStreams(ctx.db, slugs);
  const dispatch: DispatchContext = {
    collections: ctx.collections,
    lucent: ctx.lucent,
    codePointTextOrder: await ordersTextByCodePoint(ctx.db),
    stats: { relatedQueries: 0, probeQueries: 0 },
  };
  const hub = new Hub({ db: ctx.db, logger: ctx.logger, dispatch, collections: slugs });
  await hub.load();
  const rt: Runtime = { ctx, options, hub, registry: new Registry(), dispatch };
  const definitions = realtimeRouteDefinitions(rt);
  const timers: Array<ReturnType<typeof setInterval>> = [];
  const every = (ms: number, fn: () => unknown, what: string) =>
    timers.push(
      setInterval(() => {
        Promise.resolve()
          .then(fn)
          .catch((err) => ctx.logger.warn({ err }, `realtime ${what} failed`));
      }, ms),
    );
  const removeRetained = async () => {
    await pruneTickets(ctx.db);
    return prune(ctx.db, {
      retainEvents: options.retainEvents,
      retainSeconds: options.retainSeconds,
    });
  };
  let unsubscribe: (() => void) | undefined;
  // Core's shutdown awaits `server.stop()`, which waits for every open request: open
  // streams must be told to go first, or it never returns. When nobody else handles the
  // signal (an app that turned `handleSignals` off and set none), it keeps its default effect.
  const onSignal = (signal: NodeJS.Signals) => {
    rt.registry.endAll("shutting_down");
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };

  return {
    api: {
      connections: () => rt.registry.open.size,
      subscriptions: () => hub.subscriberCount(),
      stats: () => ({ ...dispatch.stats, ended: { ...rt.registry.ended } }),
      poll: () => hub.poll(),
      idle: () => hub.idle(),
      prune: removeRetained,
    },
    routes: realtimeRoutes(rt, definitions),
    hooks: hooksFor(slugs),
    openapi: () => realtimeOpenApi(definitions),
    start() {
      unsubscribe = ctx.changes.subscribe((event) => hub.wake(event.collection));
      every(options.pollIntervalMs, () => hub.poll(), "poll");
      every(options.pruneIntervalMs, removeRetained, "prune");
      every(options.heartbeatMs, () => rt.registry.heartbeat(), "heartbeat");
      every(
        options.authCheckMs,
        () => checkConnections(ctx.resolveCaller, rt.registry.open, true),
        "auth check",
      );
      every(
        1000,
        () => checkConnections(ctx.resolveCaller, rt.registry.open, false),
        "token expiry",
      );
      process.once("SIGTERM", onSignal);
      process.once("SIGINT", onSignal);
    },
    async stop() {
      unsubscribe?.();
      for (const t of timers.splice(0)) clearInterval(t);
      process.off("SIGTERM", onSignal);
      process.off("SIGINT", onSignal);
      rt.registry.endAll("shutting_down");
      await hub.idle();
    },
  };
}
