import type { CollectionAccess } from "@lucent/core";

/**
 * Until @lucent/auth is installed in the demo there is no signed-in user, so
 * the demo opens writes to everyone. Without a rule Lucent itself would
 * refuse anonymous writes (reads are public). The rules of CONTRACT §14
 * replace this once auth lands.
 */
export const openAccess: CollectionAccess = {
  read: () => true,
  create: () => true,
  update: () => true,
  delete: () => true,
};
