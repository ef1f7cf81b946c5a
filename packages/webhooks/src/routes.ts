/**
 * The module's own routes, beside the collection routes of `/api/webhooks`:
 * an endpoint's deliveries with every attempt, and redelivery by hand. They
 * read through the Local API as the caller, so the collections' admin-only
 * access answers 401, 403 and 404 exactly as `/api/webhooks/:id` does.
 */
import { type Doc, defineRoute, NotFoundError, type RouteDefinition } from "@lucent/core";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { ATTEMPTS, DELIVERIES, DELIVERY_STATUSES, ENDPOINTS } from "./collections.ts";
import { enqueueDelivery, type Runtime } from "./runtime.ts";
import { col, NOW_MS, table } from "./sql-rows.ts";

const uuid = z.uuid({ message: "must be a UUID" });
const errors = {
  400: "bad parameters (VALIDATION_ERROR)",
  401: "not signed in",
  403: "not an admin",
  404: "no such endpoint or delivery",
};

export function webhookRoutes(rt: Runtime): RouteDefinition[] {
  const lucent = rt.ctx.lucent;
  const caller = async (request: Request) => ({
    user: await rt.ctx.resolveCaller(request),
    req: request,
  });

  const listDeliveries = defineRoute({
    method: "GET",
    path: `/${ENDPOINTS}/:id/deliveries`,
    summary: "An endpoint's deliveries, newest first, each with its attempts in order",
    operationId: "listEndpointDeliveries",
    params: z.strictObject({ id: uuid }),
    query: z.strictObject({
      limit: z.coerce.number().int().min(1).max(100).default(25),
      page: z.coerce.number().int().min(1).max(1_000_000).default(1),
      status: z.enum(DELIVERY_STATUSES).optional(),
    }),
    response: { status: 200, description: "a page of deliveries" },
    errors,
    secured: true,
    handler: async ({ request, params, query }) => {
      const who = await caller(request);
      await lucent.findById({ collection: ENDPOINTS, id: params.id, ...who });
      const page = await lucent.find({
        collection: DELIVERIES,
        where: {
          endpoint: { eq: params.id },
          ...(query.status ? { status: { eq: query.status } } : {}),
        },
        sort: "-createdAt",
        limit: query.limit,
        page: query.page,
        ...who,
      });
      const ids = page.docs.map((d) => String(d.id));
      const attempts = ids.length
        ? await lucent.find({
            collection: ATTEMPTS,
            where: { delivery: { in: ids } },
            sort: ["number", "createdAt"],
            limit: 100,
            ...who,
          })
        : { docs: [] as Doc[] };
      const byDelivery = new Map<string, Doc[]>();
      for (const a of attempts.docs)
        byDelivery.set(String(a.delivery), [...(byDelivery.get(String(a.delivery)) ?? []), a]);
      return {
        ...page,
        docs: page.docs.map((d) => ({ ...d, attempts: byDelivery.get(String(d.id)) ?? [] })),
      };
    },
  });

  const redeliver = defineRoute({
    method: "POST",
    path: `/${ENDPOINTS}/:id/deliveries/:deliveryId/redeliver`,
    summary: "Send a delivery again, with the same webhook-id",
    operationId: "redeliverWebhook",
    params: z.strictObject({ id: uuid, deliveryId: uuid }),
    response: { status: 202, description: "queued" },
    errors,
    secured: true,
    handler: async ({ request, params }) => {
      const who = await caller(request);
      await lucent.findById({ collection: ENDPOINTS, id: params.id, ...who });
      const delivery = await lucent.findById({
        collection: DELIVERIES,
        id: params.deliveryId,
        ...who,
      });
      if (String(delivery.endpoint) !== params.id)
        throw new NotFoundError(`no delivery ${params.deliveryId} for endpoint ${params.id}`);
      const d = rt.deliveries;
      await rt.ctx.db.execute(
        sql`update ${table(d)} set ${col(d, "status")} = 'pending', ${col(d, "lastError")} = null,
              updated_at = ${NOW_MS} where id = ${params.deliveryId}::uuid`,
      );
      const job = await enqueueDelivery(rt, params.deliveryId);
      return {
        id: params.deliveryId,
        messageId: delivery.messageId,
        status: "pending",
        job: job.id,
      };
    },
  });

  return [listDeliveries, redeliver];
}
