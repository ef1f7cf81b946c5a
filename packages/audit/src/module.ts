/**
 * `audit(options)`: every committed create, update and delete of every
 * collection (REST, Local API, hooks) recorded in the write's own
 * transaction, so a rolled-back write leaves no entry and a committed one
 * always has one; and every auth event (sign-in, failed sign-in, sign-out,
 * password reset, API key created or revoked) as it happens.
 */
import type {
  AuthEvent,
  CollectionHooks,
  DocHookArgs,
  KernelContext,
  LucentModule,
  ResolvedCollection,
} from "@lucent/core";
import { sql } from "drizzle-orm";
import { changesOf } from "./changes.ts";
import { auditCollection } from "./collection.ts";
import { type AuditOptions, auditOptionsSchema, resolveAuditOptions } from "./options.ts";
import { recordEntry } from "./record.ts";

const PRUNE_EVERY_MS = 60 * 60 * 1000;

/** The hooks that record one collection's writes into the log. */
function recorders(collection: ResolvedCollection, log: ResolvedCollection): CollectionHooks {
  const record = async (args: DocHookArgs) => {
    const operation = args.operation === "read" ? undefined : args.operation;
    if (!operation) return undefined;
    const before = operation === "create" ? undefined : (args.originalDoc ?? args.doc);
    const after = operation === "delete" ? undefined : args.doc;
    // `lucent.db` is the write's transaction: the entry commits or rolls back with it.
    await recordEntry(args.lucent.db, log, {
      operation,
      collection: collection.slug,
      documentId: String(args.doc.id),
      origin: args.origin,
      ...changesOf(collection, before, after, args.writtenFields),
    });
    return undefined;
  };
  return { afterChange: [record], afterDelete: [record] };
}

function recordAuthEvent(ctx: KernelContext, log: ResolvedCollection, event: AuthEvent) {
  const detail = {
    ...(event.email !== undefined ? { email: event.email } : {}),
    ...(event.keyId !== undefined ? { keyId: event.keyId } : {}),
  };
  return recordEntry(ctx.db, log, {
    operation: `auth.${event.type}`,
    collection: event.user?.collection ?? "",
    documentId: event.user?.id ?? null,
    origin: event.origin,
    changedFields: [],
    changes: {},
    detail,
  });
}

async function prune(ctx: KernelContext, log: ResolvedCollection, days: number): Promise<void> {
  await ctx.db.execute(
    sql`delete from ${sql.identifier(log.table)} where created_at < now() - make_interval(days => ${days})`,
  );
}

export function audit(options: AuditOptions = {}) {
  const resolved = resolveAuditOptions(options);
  return {
    name: "@lucent/audit",
    optionsSchema: auditOptionsSchema,
    options,
    extendCollections: (collections) => {
      if (collections.some((c) => c.slug === resolved.collection))
        throw new Error(
          `@lucent/audit: a collection is already named "${resolved.collection}"; pick another with audit({ collection })`,
        );
      return [...collections, auditCollection(resolved)];
    },
    setup(ctx) {
      const log = ctx.collections.get(resolved.collection)!;
      const hooks: Record<string, CollectionHooks> = {};
      for (const collection of ctx.collections.values()) {
        if (collection.slug === log.slug || resolved.exclude.has(collection.slug)) continue;
        hooks[collection.slug] = recorders(collection, log);
      }
      // Sign-ins and the rest arrive on the event hub, whichever module order was given.
      const stopAuth = ctx.events.on("auth", (event) => recordAuthEvent(ctx, log, event));
      let timer: ReturnType<typeof setInterval> | undefined;
      const pruneNow = () =>
        prune(ctx, log, resolved.retentionDays).catch((err) =>
          ctx.logger.error({ err }, "@lucent/audit: pruning the log failed"),
        );
      return {
        hooks,
        start() {
          if (resolved.retentionDays === 0) return;
          void pruneNow();
          timer = setInterval(pruneNow, PRUNE_EVERY_MS);
          timer.unref?.();
        },
        stop() {
          stopAuth();
          if (timer) clearInterval(timer);
        },
      };
    },
  } satisfies LucentModule;
}
