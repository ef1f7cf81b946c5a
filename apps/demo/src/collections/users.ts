import { defineCollection } from "@lucent/core";
import { openAccess } from "../access.ts";

/**
 * The auth collection. With @lucent/auth installed it also gets `email` and
 * `password`; the access rules of CONTRACT §14 live in ../access.ts.
 */
export const Users = defineCollection({
  slug: "users",
  access: openAccess,
  auth: true,
  fields: {
    name: { type: "text", maxLength: 120 },
    role: { type: "select", options: ["admin", "editor", "user"], defaultValue: "user" },
  },
});
