/**
 * What a field type is: every fact the engine needs about it, in one object.
 * The config validator, the migrator, body validation, the where and sort
 * parsers, the serializer, typegen and the OpenAPI document all read these
 * objects (registry.ts), so a new type is one definition, not ten edits.
 */
import type { ZodType } from "zod";
import type { Operator } from "../../query/access-types.ts";
import type { FieldBase, FieldConfig } from "../fields.ts";

/** A JSON Schema (draft 2020-12, as OpenAPI 3.1 reads it). */
export type JsonSchema = Record<string, unknown>;

/** The column types a field can have: one value, or a list of them. */
export type FieldColumnType =
  | "text"
  | "text[]"
  | "uuid"
  | "uuid[]"
  | "integer"
  | "numeric"
  | "boolean"
  | "timestamptz"
  | "jsonb";

export interface FieldColumn {
  type: FieldColumnType;
  /** A foreign key to the `id` of another collection's table (indexed, as Postgres does not). */
  references?: { collection: string; onDelete: "set null" | "restrict" | "cascade" };
}

export interface ConfigOptionsContext {
  /** The config schema of an `array` field's `fields`: item fields of every type allowed in one. */
  itemFields: ZodType;
}

export interface InputContext {
  /** The body schema of an object with these fields (an `array` field's items). */
  objectOf(fields: Record<string, FieldConfig>): ZodType;
}

export interface TypeTextContext {
  /** `doc`: a document as read (relationships may be populated); `data`: a write's body. */
  mode: "doc" | "data";
  /** The generated type name of a collection's document, `never` when there is none. */
  documentType(slug: string): string;
  /** The TypeScript type of another field's value, in the same mode (an `array` field's items). */
  valueType(field: FieldConfig): string;
}

export interface ResponseSchemaContext {
  /** A reference to a component of the document, e.g. `StoredFile`. */
  ref(component: string): JsonSchema;
  /** A reference to a collection's document schema. */
  documentRef(slug: string): JsonSchema;
}

export interface WhereSchemaContext {
  /** Slugs of auth collections: a relationship to one also takes `"me"`. */
  authSlugs: ReadonlySet<string>;
}

/**
 * One field type. Methods (not function properties) so that a definition for
 * one config type is a definition for the table's wider one.
 */
export interface FieldTypeDefinition<F extends FieldBase = FieldBase> {
  /** The name a field gives as its `type`: a lower-case letter, then letters and digits. */
  type: F["type"];
  /**
   * zod schemas of the type's own options, checked at startup. `required`,
   * `defaultValue`, `access`, `hooks` and `description` are added for every
   * type, `unique` and `index` when `indexable`. @default none
   */
  options?(ctx: ConfigOptionsContext): Record<string, ZodType>;
  /** Takes `unique` and `index`. @default false */
  indexable?: boolean;
  /** May be an item field of an `array` field. @default true */
  inArray?: boolean;
  /** Never returned, never named in a where, sort or select (passwords). @default false */
  writeOnly?: boolean;
  /** Values arrive as multipart files, never in a JSON body (uploads). @default false */
  file?: boolean;

  /** The column that stores a value. */
  column(field: F): FieldColumn;
  /**
   * The `where` operators the field takes; each must be one its column can
   * answer (value-kinds.ts). @default every operator of its column
   */
  operators?(field: F): readonly Operator[];
  /** Whether a list can be sorted by it. @default whether its column can be (not arrays or JSON) */
  sortable?(field: F): boolean;

  /** The zod schema of a value in a request body; null and absence are handled per field. */
  input(field: F, ctx: InputContext): ZodType;
  /**
   * A `where` value after its column's check (a string for a text column):
   * returns the value to compare with, or calls `reject` with what is wrong.
   * @default the value unchanged
   */
  queryValue?(field: F, value: unknown, reject: (message: string) => never): unknown;
  /** A stored value (never null) as the API returns it. @default unchanged */
  toJson?(stored: unknown): unknown;

  /** The TypeScript type of a value, as `lucent-types.ts` writes it. */
  typescript(field: F, ctx: TypeTextContext): string;
  /**
   * The TypeScript type of the field's `where` condition.
   * @default `Condition<value type>`; `Pick<Condition<never>, "exists">` when only `exists` applies
   */
  whereTypescript?(field: F, ctx: TypeTextContext): string;

  /** JSON Schema of a value in a response. @default the body schema's, without its input bounds */
  responseSchema?(field: F, ctx: ResponseSchemaContext): JsonSchema;
  /** Notes added to the body schema's property (JSON Schema cannot say them). @default none */
  annotateInput?(schema: JsonSchema, field: F): JsonSchema;
  /** JSON Schema of one value in a `where` condition. @default by its column */
  whereSchema?(field: F, ctx: WhereSchemaContext): JsonSchema | undefined;
}
