import { defineCollection } from "@lucent/core";
import { adminOnly, users } from "../access.ts";

/**
 * The auth collection: @lucent/auth adds `email` and `password`. The first
 * user to register becomes an admin; only admins may set a role.
 */
export const Users = defineCollection({
  slug: "users",
  auth: true,
  fields: {
    // Declared here to give it its read rule; @lucent/auth keeps a declared email field.
    email: { type: "email", required: true, unique: true, access: { read: users.email } },
    name: { type: "text", maxLength: 120 },
    role: {
      type: "select",
      options: ["admin", "editor", "user"],
      defaultValue: "user",
      access: { create: adminOnly, update: adminOnly },
    },
  },
  access: { read: users.read, create: users.create, update: users.update, delete: users.delete },
  hooks: {
    beforeChange: [
      async ({ data, operation, lucent }) => {
        if (operation !== "create") return data;
        // Runs in the write's transaction: the count sees every committed user.
        const { totalDocs } = await lucent.count({ collection: "users", overrideAccess: true });
        if (totalDocs === 0) data.role = "admin";
        return data;
      },
    ],
  },
});
