/**
 * The log is a collection: admins read it at `/api/<slug>` with the whole
 * query language (CONTRACT §4), the OpenAPI document and the generated types
 * describe it, and nobody writes it through the API (entries are inserted by
 * the module, in the audited write's own transaction).
 */
import type { CollectionConfig } from "@lucent/core";
import type { ResolvedAuditOptions } from "./options.ts";

export const OPERATIONS = ["create", "update", "delete"] as const;

const nobody = () => false;

export function auditCollection(options: ResolvedAuditOptions): CollectionConfig {
  return {
    slug: options.collection,
    fields: {
      operation: { type: "select", options: [...OPERATIONS], required: true },
      collection: { type: "text", required: true },
      documentId: { type: "text", required: true },
      /** The user the write is attributed to (the outermost caller, through hooks too). */
      actor: { type: "text" },
      actorCollection: { type: "text" },
      requestId: { type: "text" },
      ip: { type: "text" },
      /** Names of the fields the write changed, hidden and password fields included. */
      changedFields: { type: "json" },
      /** `{ field: { from, to } }` for changed fields every reader may see; no password or hidden value. */
      changes: { type: "json" },
    },
    access: { read: options.read, create: nobody, update: nobody, delete: nobody },
    indexes: [{ fields: ["collection", "documentId"] }, { fields: ["actor"] }],
  };
}
