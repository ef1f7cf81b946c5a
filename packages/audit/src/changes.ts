/**
 * What a write changed, as the log keeps it: every changed field's name, and
 * the values of those whose values anyone may read. A password, and a field
 * with a read rule of its own (readable by some callers only), are named but
 * their values are never stored: the log must not become a way around them.
 */
import type { Doc, ResolvedCollection } from "@lucent/core";

export interface Changes {
  changedFields: string[];
  changes: Record<string, { from?: unknown; to?: unknown }>;
}

function valueIsPublic(collection: ResolvedCollection, name: string): boolean {
  const field = collection.fieldMap.get(name);
  if (!field) return false;
  return field.config.type !== "password" && field.config.access?.read === undefined;
}

/**
 * `written`: the fields the write stored. A write-only field (a password) is
 * in no document, so only this says it changed.
 */
export function changesOf(
  collection: ResolvedCollection,
  before: Doc | undefined,
  after: Doc | undefined,
  written: readonly string[] = [],
): Changes {
  const out: Changes = { changedFields: [], changes: {} };
  for (const field of collection.fields) {
    const name = field.name;
    if (field.config.type === "password") {
      if (written.includes(name)) out.changedFields.push(name);
      continue;
    }
    const from = before?.[name];
    const to = after?.[name];
    if (Bun.deepEquals(from ?? null, to ?? null)) continue;
    out.changedFields.push(name);
    if (!valueIsPublic(collection, name)) continue;
    out.changes[name] = {
      ...(before ? { from: from ?? null } : {}),
      ...(after ? { to: to ?? null } : {}),
    };
  }
  return out;
}
