/** Field-level read access on a document: what a caller may see of it. */

import { NotFoundError } from "../http/errors.ts";
import type { CallerOptions } from "../kernel/local-api-types.ts";
import { fieldTypeOf } from "../schema/field-types/registry.ts";
import type { ResolvedCollection } from "../schema/schema.ts";
import { fieldAllowed } from "./access.ts";
import type { Doc } from "./access-types.ts";
import type { QueryContext } from "./query-context.ts";

/**
 * Deletes from `doc`, in place, the fields `ctx` may not read. Each rule is
 * judged with the stored values, before any afterRead hook runs, so hooks
 * never see a value the caller may not read.
 */
export async function removeHiddenFields(
  collection: ResolvedCollection,
  doc: Doc,
  ctx: Pick<QueryContext, "user" | "req" | "overrideAccess">,
): Promise<void> {
  for (const field of collection.fields) {
    if (!Object.hasOwn(doc, field.name)) continue;
    if (fieldTypeOf(field.config).writeOnly) {
      delete doc[field.name];
      continue;
    }
    if (!field.config.access?.read) continue;
    if (!(await fieldAllowed(collection, field.name, "read", ctx, { doc }))) {
      delete doc[field.name];
    }
  }
}

export interface ReadableDocOptions extends CallerOptions {
  /** Every collection, as `KernelContext.collections` holds them. */
  collections: ReadonlyMap<string, ResolvedCollection>;
  /** The slug of the document's collection. */
  collection: string;
  /** The document as stored, e.g. a `ChangeEvent`'s `doc`; it is not changed. */
  doc: Doc;
}

/**
 * The document as this caller may see it: a copy without the fields whose
 * read access denies them (and never a write-only one, such as a password). Collection read access is
 * not judged here: check it with `readFilter` and `matchesWhere` first.
 */
export async function readableDoc(options: ReadableDocOptions): Promise<Doc> {
  const collection = options.collections.get(options.collection);
  if (!collection) throw new NotFoundError(`no collection "${options.collection}"`);
  const doc = { ...options.doc };
  await removeHiddenFields(collection, doc, {
    user: options.user ?? null,
    req: options.req ?? null,
    overrideAccess: options.overrideAccess === true,
  });
  return doc;
}
