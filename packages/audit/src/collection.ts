/**
 * The log is a collection: admins read it at `/api/<slug>` with the whole
 * query language (CONTRACT §4), the OpenAPI document and the generated types
 * describe it, and nobody writes it through the API (entries are inserted by
 * the module, in the audited write's own transaction).
 */
import type { CollectionConfig } from "@lucent/core";
import type { ResolvedAuditOptions } from "./options.ts";

export const WRITE_OPERATIONS = ["create", "update", "delete"] as const;
/** Auth events (CONTRACT §15), as `auth.<type>`. */
export const AUTH_OPERATIONS = [
  "auth.login",
  "auth.login_failed",
  "auth.logout",
  "auth.password_reset",
  "auth.api_key_created",
  "auth.api_key_revoked",
] as const;
export const OPERATIONS = [...WRITE_OPERATIONS, ...AUTH_OPERATIONS] as const;

const nobody = () => false;

export function auditCollection(options: ResolvedAuditOptions): CollectionConfig {
  return {
    slug: options.collection,
    fields: {
      operation: { type: "select", options: [...OPERATIONS], required: true },
      collection: { type: "text", required: true },
      /** The document written, or the account of an auth event (null for a sign-in to an unknown address). */
      documentId: { type: "text" },
      /** The user the write is attributed to (the outermost caller, through hooks too). */
      actor: { type: "text" },
      actorCollection: { type: "text" },
      requestId: { type: "text" },
      ip: { type: "text" },
      /** Names of the fields the write changed, hidden and password fields included. */
      changedFields: { type: "json" },
      /** `{ field: { from, to } }` for changed fields every reader may see; no password or hidden value. */
      changes: { type: "json" },
      /** For auth events: the address a sign-in was tried with, the API key's id. */
      detail: { type: "json" },
    },
    access: { read: options.read, create: nobody, update: nobody, delete: nobody },
    indexes: [{ fields: ["collection", "documentId"] }, { fields: ["actor"] }],
  };
}
