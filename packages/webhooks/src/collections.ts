/**
 * Three collections: endpoints (`/api/webhooks`, CRUD for admins), the
 * deliveries made to them (one per committed change per endpoint) and each
 * delivery's attempts. As collections they get the query language, the
 * OpenAPI description, generated types and admin-only access for free;
 * deliveries and attempts are written by the module with SQL only, so their
 * own rows make no change events, hooks or audit entries.
 */
import type { AccessArgs, CollectionConfig } from "@lucent/core";
import { z } from "zod";
import type { ResolvedWebhooksOptions } from "./options.ts";

export const ENDPOINTS = "webhooks";
export const DELIVERIES = "webhook-deliveries";
export const ATTEMPTS = "webhook-attempts";
export const OWN_COLLECTIONS: ReadonlySet<string> = new Set([ENDPOINTS, DELIVERIES, ATTEMPTS]);

export const DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;
export const ATTEMPT_OUTCOMES = ["sending", "ok", "failed", "interrupted"] as const;

const nobody = () => false;

export function endpointsCollection(options: ResolvedWebhooksOptions): CollectionConfig {
  const admin = (args: AccessArgs) => options.admin(args);
  return {
    slug: ENDPOINTS,
    fields: {
      url: { type: "text", required: true, maxLength: 2048 },
      /** Event filters such as `posts.create`, `posts.*`, `*`. */
      events: { type: "json", required: true, schema: z.array(z.string()) },
      description: { type: "text", maxLength: 500 },
      enabled: { type: "boolean", defaultValue: true },
      /** `config` for endpoints declared in code, `admin` for those made through the API. */
      source: {
        type: "select",
        options: ["admin", "config"],
        defaultValue: "admin",
        access: { create: nobody, update: nobody },
      },
      /** The config endpoint's name; null for the others. */
      name: { type: "text", access: { create: nobody, update: nobody } },
      /** Where the signing secret is kept (sealed, or a reference); never readable. */
      secret: { type: "text", access: { read: nobody } },
      /** Deliveries in a row that failed every try; a success resets it. */
      failures: { type: "integer", defaultValue: 0, access: { create: nobody, update: nobody } },
      disabledReason: { type: "text", access: { create: nobody, update: nobody } },
    },
    access: {
      read: admin,
      create: admin,
      update: admin,
      // Config endpoints are deleted from the config, not through the API.
      delete: async (args) => ((await admin(args)) ? { source: { eq: "admin" } } : false),
    },
  };
}

export function deliveriesCollection(options: ResolvedWebhooksOptions): CollectionConfig {
  return {
    slug: DELIVERIES,
    fields: {
      endpoint: {
        type: "relationship",
        relationTo: ENDPOINTS,
        onDelete: "cascade",
        required: true,
      },
      /** The `webhook-id` header: the same on every attempt and redelivery, for the receiver to deduplicate. */
      messageId: { type: "text", required: true, unique: true },
      type: { type: "text", required: true },
      collection: { type: "text", required: true },
      documentId: { type: "text", required: true },
      /** The JSON body, as sent. */
      payload: { type: "json" },
      status: { type: "select", options: [...DELIVERY_STATUSES], defaultValue: "pending" },
      attempts: { type: "integer", defaultValue: 0 },
      lastError: { type: "text" },
      deliveredAt: { type: "date" },
    },
    access: { read: (args) => options.admin(args), create: nobody, update: nobody, delete: nobody },
    indexes: [{ fields: ["endpoint"] }, { fields: ["status"] }],
  };
}

export function attemptsCollection(options: ResolvedWebhooksOptions): CollectionConfig {
  return {
    slug: ATTEMPTS,
    fields: {
      delivery: {
        type: "relationship",
        relationTo: DELIVERIES,
        onDelete: "cascade",
        required: true,
      },
      endpoint: { type: "text", required: true },
      /** 1 for the first attempt of the delivery, redeliveries counting on. */
      number: { type: "integer", required: true },
      outcome: { type: "select", options: [...ATTEMPT_OUTCOMES], defaultValue: "sending" },
      statusCode: { type: "integer" },
      error: { type: "text" },
      startedAt: { type: "date" },
      durationMs: { type: "integer" },
    },
    access: { read: (args) => options.admin(args), create: nobody, update: nobody, delete: nobody },
    indexes: [{ fields: ["delivery"] }],
  };
}
