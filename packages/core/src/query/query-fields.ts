/**
 * What a `where`, `sort` and `select` may name on a collection, with what
 * each name accepts: the system fields and every declared field that is not
 * write-only, their column kinds, operators and sortability read from the
 * field-type table. The parsers check requests against it and the OpenAPI
 * document is written from it, so the two cannot disagree. Field read access
 * is the caller's, so it is judged by the parsers, not here.
 */

import { fieldTypeOf } from "../schema/field-types/registry.ts";
import type { ResolvedCollection, ResolvedField } from "../schema/schema.ts";
import {
  type ColumnKind,
  fieldKind,
  fieldOperators,
  fieldSortable,
  operatorsFor,
  SYSTEM_KINDS,
} from "../schema/value-kinds.ts";
import type { Operator } from "./access-types.ts";

export interface QueryField {
  name: string;
  column: string;
  kind: ColumnKind;
  operators: readonly Operator[];
  sortable: boolean;
  /** The declared field; undefined for `id`, `createdAt` and `updatedAt`. */
  field: ResolvedField | undefined;
}

const cache = new WeakMap<ResolvedCollection, ReadonlyMap<string, QueryField>>();

/** Every name a where may use, system fields first; a Map, so `constructor` is not one. */
export function queryFields(collection: ResolvedCollection): ReadonlyMap<string, QueryField> {
  let fields = cache.get(collection);
  if (!fields) {
    fields = build(collection);
    cache.set(collection, fields);
  }
  return fields;
}

function build(collection: ResolvedCollection): Map<string, QueryField> {
  const out = new Map<string, QueryField>();
  for (const [name, { column, kind }] of SYSTEM_KINDS) {
    if (name !== "id" && !collection.timestamps) continue;
    out.set(name, {
      name,
      column,
      kind,
      operators: operatorsFor(kind),
      sortable: true,
      field: undefined,
    });
  }
  for (const field of collection.fields) {
    if (fieldTypeOf(field.config).writeOnly) continue;
    out.set(field.name, {
      name: field.name,
      column: field.column,
      kind: fieldKind(field.config),
      operators: fieldOperators(field.config),
      sortable: fieldSortable(field.config),
      field,
    });
  }
  return out;
}

/** Sort keys in the order documents list them: `id`, the declared fields, then the timestamps. */
export function sortableFields(collection: ResolvedCollection): string[] {
  const all = [...queryFields(collection).values()].filter((f) => f.sortable);
  return [
    ...all.filter((f) => f.name === "id"),
    ...all.filter((f) => f.field !== undefined),
    ...all.filter((f) => f.name !== "id" && f.field === undefined),
  ].map((f) => f.name);
}

/** Names a `select` may list besides `id`: the declared fields, then the timestamps. */
export function selectableFields(collection: ResolvedCollection): string[] {
  const all = [...queryFields(collection).values()].filter((f) => f.name !== "id");
  return [...all.filter((f) => f.field !== undefined), ...all.filter((f) => !f.field)].map(
    (f) => f.name,
  );
}
