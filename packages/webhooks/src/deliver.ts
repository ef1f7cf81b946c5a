/**
 * The delivery job. Each run is one attempt, recorded before it is sent (so
 * an attempt cut short by a crash is listed, as `interrupted`) and after:
 * two statements per attempt, each one round trip. A failed attempt throws,
 * so the queue retries it with the backoff; the last failed try marks the
 * delivery failed and counts against the endpoint, which is disabled, with a
 * log line, after `disableAfter` in a row.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Runtime } from "./runtime.ts";
import { type AttemptResult, sendAttempt } from "./send.ts";
import { col, NOW_MS, table } from "./sql-rows.ts";

type Claimed = {
  id: string;
  endpoint: string;
  message_id: string;
  payload: unknown;
  attempts: number;
  url: string;
  secret: string | null;
  failures: number | null;
};

/** Thrown to make the queue try again; the attempt is already recorded. */
export class DeliveryFailedError extends Error {
  override name = "DeliveryFailedError";
}

/**
 * Counts the attempt and records it as `sending`, marking any attempt a dead
 * run left `sending` as interrupted; nothing when the delivery is settled
 * or its endpoint disabled.
 */
async function claim(rt: Runtime, id: string, attemptId: string): Promise<Claimed | undefined> {
  const { deliveries: d, endpoints: e, attempts: a } = rt;
  const [row] = await rt.ctx.db.execute<Claimed>(
    sql`with claimed as (
          update ${table(d)} as d set ${col(d, "attempts")} = coalesce(d.${col(d, "attempts")}, 0) + 1, updated_at = ${NOW_MS}
          from ${table(e)} as e
          where d.id = ${id}::uuid and d.${col(d, "status")} = 'pending'
            and e.id = d.${col(d, "endpoint")}::uuid and e.${col(e, "enabled")} is not false
          returning d.id, d.${col(d, "endpoint")} as endpoint, d.${col(d, "messageId")} as message_id,
            d.${col(d, "payload")} as payload, d.${col(d, "attempts")} as attempts,
            e.${col(e, "url")} as url, e.${col(e, "secret")} as secret, e.${col(e, "failures")} as failures
        ), interrupted as (
          update ${table(a)} set ${col(a, "outcome")} = 'interrupted'
          where ${col(a, "delivery")} = ${id}::uuid and ${col(a, "outcome")} = 'sending'
            and exists (select 1 from claimed)
        ), attempt as (
          insert into ${table(a)} (id, created_at, updated_at, ${col(a, "delivery")}, ${col(a, "endpoint")},
            ${col(a, "number")}, ${col(a, "outcome")}, ${col(a, "startedAt")})
          select ${attemptId}::uuid, ${NOW_MS}, ${NOW_MS}, c.id, c.endpoint, c.attempts, 'sending', clock_timestamp()
          from claimed c
        )
        select * from claimed`,
  );
  return row;
}

/** A pending delivery whose endpoint was disabled is settled as failed, unsent. */
async function settleDisabled(rt: Runtime, id: string): Promise<void> {
  const { deliveries: d, endpoints: e } = rt;
  await rt.ctx.db.execute(
    sql`update ${table(d)} as d set ${col(d, "status")} = 'failed', ${col(d, "lastError")} = 'endpoint disabled', updated_at = ${NOW_MS}
        from ${table(e)} as e
        where d.id = ${id}::uuid and d.${col(d, "status")} = 'pending'
          and e.id = d.${col(d, "endpoint")}::uuid and e.${col(e, "enabled")} = false`,
  );
}

/** Records the attempt's outcome and, in the same statement, the delivery's. */
async function record(
  rt: Runtime,
  row: Claimed,
  attemptId: string,
  result: AttemptResult,
  status: "delivered" | "failed" | "pending",
): Promise<void> {
  const { deliveries: d, endpoints: e, attempts: a } = rt;
  // A success ends the endpoint's run of failures (written only when there was one).
  const reset: SQL =
    status === "delivered" && Number(row.failures) > 0
      ? sql`, reset as (update ${table(e)} set ${col(e, "failures")} = 0 where id = ${row.endpoint}::uuid)`
      : sql``;
  await rt.ctx.db.execute(
    sql`with attempt as (
          update ${table(a)} set ${col(a, "outcome")} = ${result.ok ? "ok" : "failed"},
            ${col(a, "statusCode")} = ${result.statusCode}, ${col(a, "error")} = ${result.error},
            ${col(a, "durationMs")} = ${result.durationMs}, updated_at = ${NOW_MS}
          where id = ${attemptId}::uuid
        )${reset}
        update ${table(d)} set ${col(d, "status")} = ${status}, ${col(d, "lastError")} = ${result.error},
          ${col(d, "deliveredAt")} = ${status === "delivered" ? NOW_MS : sql`null`}, updated_at = ${NOW_MS}
        where id = ${row.id}::uuid`,
  );
}

async function countFailure(rt: Runtime, endpointId: string): Promise<void> {
  const e = rt.endpoints;
  const [row] = await rt.ctx.db.execute<{ failures: number }>(
    sql`update ${table(e)} set ${col(e, "failures")} = coalesce(${col(e, "failures")}, 0) + 1
        where id = ${endpointId}::uuid returning ${col(e, "failures")} as failures`,
  );
  const limit = rt.options.disableAfter;
  if (!row || limit === 0 || row.failures < limit) return;
  const reason = `disabled after ${row.failures} failed deliveries in a row`;
  // Through the Local API: the audit log records it and every instance's cache hears of it.
  await rt.ctx.lucent.update({
    collection: e.slug,
    id: endpointId,
    data: { enabled: false, disabledReason: reason },
    overrideAccess: true,
  });
  rt.ctx.logger.warn(
    { endpoint: endpointId, failures: row.failures },
    `@lucent/webhooks: endpoint ${endpointId} ${reason}`,
  );
}

/** Runs one attempt of a delivery; `jobAttempt` is the queue's try number for this job. */
export async function deliver(rt: Runtime, deliveryId: string, jobAttempt: number): Promise<void> {
  const attemptId = Bun.randomUUIDv7();
  const row = await claim(rt, deliveryId, attemptId);
  // Gone with its endpoint, already settled by an earlier run, or its endpoint disabled.
  if (!row) return settleDisabled(rt, deliveryId);
  const secret = row.secret ? await rt.keeper.open(row.secret) : undefined;
  const result: AttemptResult = secret
    ? await sendAttempt({
        url: row.url,
        secret,
        messageId: row.message_id,
        body: JSON.stringify(row.payload),
        timeoutMs: rt.options.timeoutMs,
        policy: rt.policy,
      })
    : {
        ok: false,
        statusCode: null,
        error: "the endpoint's signing secret cannot be read; set a new one",
        durationMs: 0,
      };
  const last = jobAttempt >= rt.options.attempts;
  await record(rt, row, attemptId, result, result.ok ? "delivered" : last ? "failed" : "pending");
  if (result.ok) return;
  if (last) await countFailure(rt, row.endpoint);
  throw new DeliveryFailedError(result.error ?? "delivery failed");
}
