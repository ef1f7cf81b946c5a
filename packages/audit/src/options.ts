/** `audit(options)`: what is recorded, who reads it, how long it is kept. */
import type { AccessArgs } from "@lucent/core";
import { z } from "zod";

export interface AuditOptions {
  /** The log's collection slug, and so its route: `/api/<slug>`. @default "audit" */
  collection?: string;
  /** Entries older than this many days are pruned (hourly, on every instance). 0 keeps them forever. @default 90 */
  retentionDays?: number;
  /** Who may read the log. @default a user whose `role` is `"admin"` */
  read?: (args: AccessArgs) => boolean | Promise<boolean>;
  /** Collections whose writes are not recorded. @default [] */
  exclude?: readonly string[];
}

export interface ResolvedAuditOptions {
  collection: string;
  retentionDays: number;
  read: (args: AccessArgs) => boolean | Promise<boolean>;
  exclude: ReadonlySet<string>;
}

export const auditOptionsSchema = z.strictObject({
  collection: z
    .string()
    .regex(
      /^[a-z][a-z0-9-]*$/,
      "must be lower-case letters, digits and dashes, starting with a letter",
    )
    .optional(),
  retentionDays: z.number().int().min(0).optional(),
  read: z.function().optional(),
  exclude: z.array(z.string()).optional(),
});

const isAdmin = ({ user }: AccessArgs) => user?.role === "admin";

export function resolveAuditOptions(options: AuditOptions): ResolvedAuditOptions {
  return {
    collection: options.collection ?? "audit",
    retentionDays: options.retentionDays ?? 90,
    read: options.read ?? isAdmin,
    exclude: new Set(options.exclude ?? []),
  };
}
