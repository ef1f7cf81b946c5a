/**
 * Deliveries are written in the transaction of the change they announce (an
 * outbox): a change that commits always has its deliveries, one per matching
 * endpoint, and a rolled-back one has none. Jobs are enqueued once the write
 * committed; if the process dies between the commit and the enqueue, the
 * sweep finds the pending delivery and enqueues it. A sweep racing a live
 * job is harmless: the job is enqueued with the delivery's id as dedupe key,
 * and a delivery that is no longer pending is not sent again.
 */
import type { CollectionHooks, DatabaseAdapter, Doc, DocHookArgs } from "@lucent/core";
import { sql } from "drizzle-orm";
import type { WriteOperation } from "./event-filter.ts";
import { enqueueDelivery, type Runtime } from "./runtime.ts";
import { col, insertRows, jsonb, table } from "./sql-rows.ts";

/** What a receiver gets (CONTRACT §15). */
export interface WebhookPayload {
  type: string;
  id: string;
  collection: string;
  doc: Record<string, unknown>;
  previousDoc?: Record<string, unknown>;
  occurredAt: string;
}

/**
 * The document as sent: without fields that have a read rule of their own.
 * A webhook must not be a way around field access, and a rule that depends
 * on the reader cannot be judged for a receiver (as in `@lucent/audit`).
 */
function sendable(doc: Doc, hidden: readonly string[]): Doc {
  if (hidden.length === 0) return doc;
  const out = { ...doc };
  for (const name of hidden) delete out[name];
  return out;
}

async function recordDeliveries(
  rt: Runtime,
  db: DatabaseAdapter,
  collection: string,
  operation: WriteOperation,
  args: DocHookArgs,
  hidden: readonly string[],
): Promise<string[]> {
  const endpoints = rt.cache.matching(collection, operation);
  if (endpoints.length === 0) return [];
  const id = String(args.doc.id);
  const payload: WebhookPayload = {
    type: `${collection}.${operation}`,
    id,
    collection,
    doc: sendable(args.doc, hidden),
    ...(operation !== "create" && args.originalDoc
      ? { previousDoc: sendable(args.originalDoc, hidden) }
      : {}),
    occurredAt: new Date().toISOString(),
  };
  const body = jsonb(payload);
  return insertRows(
    db,
    rt.deliveries,
    endpoints.map((endpoint) => ({
      endpoint: sql`${endpoint.id}`,
      messageId: sql`${`msg_${Bun.randomUUIDv7().replaceAll("-", "")}`}`,
      type: sql`${payload.type}`,
      collection: sql`${collection}`,
      documentId: sql`${id}`,
      payload: body,
      status: sql`'pending'`,
      attempts: sql`0`,
    })),
  );
}

/**
 * The hooks that fill the outbox for one collection. Deliveries recorded in
 * a transaction wait here, by document, until its afterCommit enqueues them.
 */
export function outboxHooks(rt: Runtime, collection: string): CollectionHooks {
  const waiting = new Map<string, { ids: string[]; at: number }>();
  const hidden = rt.ctx.collections
    .get(collection)!
    .fields.filter((f) => f.config.access?.read !== undefined)
    .map((f) => f.name);
  const record = async (args: DocHookArgs) => {
    const operation = args.operation === "read" ? undefined : args.operation;
    if (!operation) return undefined;
    const ids = await recordDeliveries(rt, args.lucent.db, collection, operation, args, hidden);
    if (ids.length === 0) return undefined;
    const key = String(args.doc.id);
    const entry = waiting.get(key);
    if (entry) entry.ids.push(...ids);
    else waiting.set(key, { ids, at: Date.now() });
    return undefined;
  };
  const enqueue = async (args: DocHookArgs) => {
    const key = String(args.doc.id);
    const entry = waiting.get(key);
    if (!entry) return undefined;
    waiting.delete(key);
    // Ids of a write that rolled back linger until the sweep of stale entries below.
    for (const [k, v] of waiting) if (Date.now() - v.at > 60_000) waiting.delete(k);
    for (const id of entry.ids) await enqueueDelivery(rt, id);
    return undefined;
  };
  return { afterChange: [record], afterDelete: [record], afterCommit: [enqueue] };
}

/** Enqueues pending deliveries older than `olderThanMs` (the ones a crash kept from the queue). */
export async function sweep(rt: Runtime, olderThanMs: number): Promise<number> {
  const d = rt.deliveries;
  const rows = await rt.ctx.db.execute<{ id: string }>(
    sql`select id from ${table(d)} where ${col(d, "status")} = 'pending'
        and created_at < now() - make_interval(secs => ${olderThanMs / 1000})
        order by id limit 500`,
  );
  for (const row of rows) await enqueueDelivery(rt, String(row.id));
  return rows.length;
}

/** Deletes an endpoint's deliveries (and so their attempts) with the endpoint, in its transaction. */
export async function deleteDeliveriesOf(
  rt: Runtime,
  db: DatabaseAdapter,
  endpointId: string,
): Promise<void> {
  const d = rt.deliveries;
  await db.execute(sql`delete from ${table(d)} where ${col(d, "endpoint")} = ${endpointId}`);
}

/** Settled deliveries older than `days` are deleted, their attempts with them. */
export async function prune(rt: Runtime, days: number): Promise<void> {
  const d = rt.deliveries;
  await rt.ctx.db.execute(
    sql`delete from ${table(d)} where ${col(d, "status")} <> 'pending'
        and created_at < now() - make_interval(days => ${days})`,
  );
}
