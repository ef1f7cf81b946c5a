import { defineCollection, type LocalApi } from "@lucent/core";
import { sql } from "drizzle-orm";
import { adminOnly, users } from "../access.ts";

const hasUsers = async (lucent: LocalApi) =>
  (await lucent.count({ collection: "users", overrideAccess: true })).totalDocs > 0;

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
    name: { type: "text" },
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
        if (operation !== "create" || (await hasUsers(lucent))) return data;
        // Sign-ups on an empty database, on any instance, would each count zero and each
        // become an admin. This lock, held until the write commits, makes them take turns:
        // the next one counts again and sees the first user. Once a user exists, nobody waits.
        await lucent.db.execute(sql`select pg_advisory_xact_lock(hashtext('demo:first-admin'))`);
        if (!(await hasUsers(lucent))) data.role = "admin";
        return data;
      },
    ],
  },
});
