/**
 * Gives the auth collection its `email` and `password` fields (and
 * `emailVerified` when verification is on). The module's hooks on credential
 * changes (credential-hooks.ts) come from each kernel's instance of it.
 */
import type { CollectionConfig, FieldConfig } from "@lucent/core";
import { authCollectionSlug } from "./runtime.ts";

const nobody = () => false;

export function extendAuthCollection(input: {
  collections: readonly CollectionConfig[];
  slug: string | undefined;
  verify: boolean;
}): CollectionConfig[] {
  const slug = authCollectionSlug(input.collections, input.slug);
  return input.collections.map((collection) => {
    if (collection.slug !== slug) return collection;
    const declared = collection.fields;
    // A declared `email` keeps its access rules and description; type, uniqueness and `required` are ours.
    const email: FieldConfig = {
      ...(declared.email?.type === "email" ? declared.email : {}),
      type: "email",
      unique: true,
      required: true,
    };
    const password: FieldConfig = {
      ...(declared.password?.type === "password" ? declared.password : {}),
      type: "password",
      required: true,
    };
    const fields: Record<string, FieldConfig> = { email, password };
    if (input.verify) {
      // Only the module writes it (with overrideAccess): no caller may mark their own address verified.
      fields.emailVerified = {
        type: "boolean",
        defaultValue: false,
        access: { create: nobody, update: nobody },
      };
    }
    for (const [name, field] of Object.entries(declared))
      if (!(name in fields)) fields[name] = field;
    return { ...collection, auth: collection.auth || true, fields };
  });
}
