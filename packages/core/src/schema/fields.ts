/**
 * The configs of the 14 built-in field types and their options. How each
 * type behaves is in field-types/; an app's own types add their configs to
 * `CustomFieldTypes`.
 */
import type { ZodType } from "zod";
import type { AccessFunction, FieldHookFunction } from "../query/access-types.ts";

export interface FieldAccess {
  read?: AccessFunction<boolean>;
  create?: AccessFunction<boolean>;
  update?: AccessFunction<boolean>;
}

export interface FieldHooks {
  /** Runs before a write with the incoming value; returns the value to store. */
  beforeChange?: FieldHookFunction[];
  /** Runs on every read with the stored value; returns the value to return. */
  afterRead?: FieldHookFunction[];
}

/** What every field config has, whatever its type. */
export interface FieldBase {
  /** The field type: a built-in one, or one added with `defineFieldType`. */
  type: string;
  /** The write must carry a value (or the field has a `defaultValue`). @default false */
  required?: boolean;
  /** Used on create when the body has no value; a function is called per document. */
  defaultValue?: unknown;
  access?: FieldAccess;
  hooks?: FieldHooks;
  /** Shown in the OpenAPI document and generated types. */
  description?: string;
}

/** The options of a type that is `indexable`. */
export interface Indexable {
  /** A unique index; a duplicate write is a 409. @default false */
  unique?: boolean;
  /** A plain index. @default false */
  index?: boolean;
}

export interface TextField extends FieldBase, Indexable {
  type: "text";
  minLength?: number;
  maxLength?: number;
}
export interface EmailField extends FieldBase, Indexable {
  type: "email";
}
export interface PasswordField extends FieldBase {
  type: "password";
  /** @default 8 */
  minLength?: number;
}
export interface RichtextField extends FieldBase {
  type: "richtext";
}
export interface IntegerField extends FieldBase, Indexable {
  type: "integer";
  min?: number;
  max?: number;
}
export interface NumberField extends FieldBase, Indexable {
  type: "number";
  min?: number;
  max?: number;
}
export interface BooleanField extends FieldBase, Indexable {
  type: "boolean";
}
export interface DateField extends FieldBase, Indexable {
  type: "date";
}
export interface SelectField extends FieldBase, Indexable {
  type: "select";
  options: readonly string[];
}
export interface MultiselectField extends FieldBase {
  type: "multiselect";
  options: readonly string[];
}
export interface JsonField extends FieldBase {
  type: "json";
  /** Validates the value when given. */
  schema?: ZodType;
}
export interface ArrayField extends FieldBase {
  type: "array";
  /** The fields of each item (scalar types; validated like a document's). */
  fields: Record<string, FieldConfig>;
  minRows?: number;
  maxRows?: number;
}
export interface RelationshipField extends FieldBase, Indexable {
  type: "relationship";
  /** The slug of the related collection. */
  relationTo: string;
  /** Store a list of ids (UUID[]) instead of one (UUID with a foreign key). @default false */
  hasMany?: boolean;
  /**
   * What deleting the related document does to this one (single form only).
   * @default "set null" when optional, "restrict" when required
   */
  onDelete?: "set null" | "restrict" | "cascade";
}
export interface UploadField extends FieldBase {
  type: "upload";
  /** Largest accepted file in bytes. @default 10 MiB */
  maxSize?: number;
  /** Accepted MIME types; `image/*` style wildcards allowed. @default any */
  mimeTypes?: readonly string[];
  /** The value's `url` is signed and works without credentials until it expires (then 403). @default false */
  signedUrls?: boolean;
  /** Lifetime of this field's signed URLs in seconds. @default the storage's `signedUrlExpiry` (300) */
  signedUrlExpiry?: number;
  /** Image variants served as `?size=<name>`, each made once per file and stored. @default none */
  imageSizes?: Readonly<Record<string, ImageSize>>;
}

/** One declared image size (made with sharp). */
export interface ImageSize {
  /** Width in pixels; omit to follow the height and the aspect ratio. */
  width?: number;
  /** Height in pixels; omit to follow the width and the aspect ratio. */
  height?: number;
  /** How the image fits the box (sharp's `fit`). @default "cover" */
  fit?: "cover" | "contain" | "fill" | "inside" | "outside";
  /** Output format. @default "webp" */
  format?: "webp" | "avif" | "png" | "jpeg";
}

/**
 * Configs of field types added with `defineFieldType`, by type name, so that
 * collections can use them with full typing:
 * `declare module "@lucent/core" { interface CustomFieldTypes { color: ColorField } }`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging
export interface CustomFieldTypes {}

export type FieldConfig =
  | TextField
  | EmailField
  | PasswordField
  | RichtextField
  | IntegerField
  | NumberField
  | BooleanField
  | DateField
  | SelectField
  | MultiselectField
  | JsonField
  | ArrayField
  | RelationshipField
  | UploadField
  | CustomFieldTypes[keyof CustomFieldTypes];

export type FieldType = FieldConfig["type"];

/** Field names every document carries; a collection may not declare them. */
export const SYSTEM_FIELDS = ["id", "createdAt", "updatedAt"] as const;
