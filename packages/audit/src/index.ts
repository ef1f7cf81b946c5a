export type { Changes } from "./changes.ts";
export { changesOf } from "./changes.ts";
export { AUTH_OPERATIONS, auditCollection, OPERATIONS, WRITE_OPERATIONS } from "./collection.ts";
export { audit } from "./module.ts";
export type { AuditOptions, ResolvedAuditOptions } from "./options.ts";
export { auditOptionsSchema, resolveAuditOptions } from "./options.ts";
