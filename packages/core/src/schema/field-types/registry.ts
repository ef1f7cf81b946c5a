/**
 * The field-type table: the 14 built-in types, then any an app adds with
 * `defineFieldType`. Everything that treats fields differently by type asks
 * this table (`fieldTypeOf`) instead of switching on `field.type`.
 *
 * The table is process-wide, like the TypeScript declaration that types a new
 * type's config (`interface CustomFieldTypes` in fields.ts): a type is a
 * property of the code, not of one config, so it is registered when the
 * module that defines it is imported, before any config naming it is
 * resolved. Registering a name twice with different definitions throws.
 */
import type { FieldBase } from "../fields.ts";
import { arrayType } from "./array.ts";
import { booleanType } from "./boolean.ts";
import { dateType } from "./date.ts";
import { emailType } from "./email.ts";
import { integerType } from "./integer.ts";
import { jsonType } from "./json.ts";
import { multiselectType } from "./multiselect.ts";
import { numberType } from "./number.ts";
import { passwordType } from "./password.ts";
import { relationshipType } from "./relationship.ts";
import { richtextType } from "./richtext.ts";
import { selectType } from "./select.ts";
import { textType } from "./text.ts";
import type { FieldTypeDefinition } from "./types.ts";
import { uploadType } from "./upload.ts";

/** The built-in types, in the order messages list them. */
const BUILT_IN: readonly FieldTypeDefinition[] = [
  textType,
  emailType,
  passwordType,
  richtextType,
  integerType,
  numberType,
  booleanType,
  dateType,
  selectType,
  multiselectType,
  jsonType,
  arrayType,
  relationshipType,
  uploadType,
];

const TYPE_NAME = /^[a-z][a-zA-Z0-9]*$/;
// A Map, so inherited names such as `constructor` are never found.
const table = new Map<string, FieldTypeDefinition>(BUILT_IN.map((t) => [t.type, t]));
let version = 0;

/**
 * Adds a field type to the table and returns it. Type its config with
 * `declare module "@lucent/core" { interface CustomFieldTypes { color: ColorField } }`.
 */
export function defineFieldType<F extends FieldBase>(
  definition: FieldTypeDefinition<F>,
): FieldTypeDefinition<F> {
  const name = definition.type;
  if (!TYPE_NAME.test(name)) {
    throw new Error(
      `defineFieldType: "${name}" is not a type name (a lower-case letter, then letters and digits)`,
    );
  }
  const existing = table.get(name);
  if (existing === definition) return definition;
  if (existing) throw new Error(`defineFieldType: the field type "${name}" is already defined`);
  table.set(name, definition);
  version++;
  return definition;
}

/** Takes a type added with `defineFieldType` out of the table again (tests, hot reload). */
export function removeFieldType(type: string): boolean {
  if (BUILT_IN.some((t) => t.type === type)) {
    throw new Error(`removeFieldType: "${type}" is a built-in field type`);
  }
  const removed = table.delete(type);
  if (removed) version++;
  return removed;
}

/** The definition of a field's type. Configs are validated first, so an unknown type is a bug. */
export function fieldTypeOf(field: Pick<FieldBase, "type">): FieldTypeDefinition {
  const definition = table.get(field.type);
  if (!definition) throw new Error(`no field type "${field.type}" (see defineFieldType)`);
  return definition;
}

/** Every type in the table: the built-in ones first, then the added ones in order. */
export function fieldTypes(): readonly FieldTypeDefinition[] {
  return [...table.values()];
}

/** Changes whenever the table does: what depends on the whole table is rebuilt on a change. */
export function fieldTypesVersion(): number {
  return version;
}
