/** Evaluates collection access rules into allow, deny, or a where tree that narrows the operation. */

import { ForbiddenError, UnauthorizedError } from "../http/errors.ts";
import type { ResolvedCollection } from "../schema/schema.ts";
import type { AccessArgs, Doc } from "./access-types.ts";
import type { QueryContext } from "./query-context.ts";
import { FALSE, parseWhere, TRUE, type WhereNode } from "./where-parse.ts";

export type AccessOperation = "read" | "create" | "update" | "delete";

/**
 * Without a rule, reading is open and writing needs a signed-in user: safe
 * for a collection that was declared without thinking about access.
 */
function defaultAllows(operation: AccessOperation, ctx: QueryContext): boolean {
  return operation === "read" || ctx.user !== null;
}

/** The filter an operation is narrowed by; FALSE when denied outright. */
export async function resolveAccess(
  collection: ResolvedCollection,
  operation: AccessOperation,
  ctx: QueryContext,
  extra: Pick<AccessArgs, "data" | "doc"> = {},
): Promise<WhereNode> {
  if (ctx.overrideAccess) return TRUE;
  const rule = collection.config.access?.[operation];
  if (!rule) return defaultAllows(operation, ctx) ? TRUE : FALSE;
  const result = await rule({ user: ctx.user, req: ctx.req, ...extra });
  if (result === true) return TRUE;
  if (result === false || result === undefined || result === null) return FALSE;
  // Access filters may name fields the caller cannot read; the related
  // collections' read access still applies to dotted paths.
  const trusted: QueryContext = { ...ctx, trustedFields: true };
  return parseWhereWithAccess(result, collection, trusted, `access.${operation}`);
}

/** Parses a `where` whose dotted paths are narrowed by the related collections' read access. */
export function parseWhereWithAccess(
  where: unknown,
  collection: ResolvedCollection,
  ctx: QueryContext,
  path = "where",
): Promise<WhereNode> {
  return parseWhere(where, collection, ctx, (target, c) => resolveAccess(target, "read", c), path);
}

/** Throws 401/403 when `filter` denies everything. */
export function assertNotDenied(
  filter: WhereNode,
  ctx: QueryContext,
  operation: AccessOperation,
  slug: string,
): void {
  if (filter.kind === "const" && !filter.value) {
    if (!ctx.user) throw new UnauthorizedError(`sign in to ${operation} ${slug}`);
    throw new ForbiddenError(`you may not ${operation} ${slug}`);
  }
}

/** Field-level access for one field of one document (`read`, `create`, `update`). */
export async function fieldAllowed(
  collection: ResolvedCollection,
  fieldName: string,
  operation: "read" | "create" | "update",
  ctx: Pick<QueryContext, "user" | "req" | "overrideAccess">,
  args: { doc?: Doc; data?: Record<string, unknown> },
): Promise<boolean> {
  if (ctx.overrideAccess) return true;
  const rule = collection.fieldMap.get(fieldName)?.config.access?.[operation];
  if (!rule) return true;
  return (await rule({ user: ctx.user, req: ctx.req, ...args })) === true;
}
