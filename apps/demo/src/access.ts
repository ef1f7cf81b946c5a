/**
 * The demo's access rules (CONTRACT §14), written as plain functions: each
 * returns true, false, or a `where` filter that Lucent compiles into the
 * query, so a list never sees what it must hide.
 */
import type { AccessArgs, AccessResult, LucentUser } from "@lucent/core";

export const isAdmin = (user: LucentUser | null): boolean => user?.role === "admin";

/** Any signed-in user. */
export const signedIn = ({ user }: AccessArgs): boolean => user !== null;

/** Admins only (e.g. who may set a role). */
export const adminOnly = ({ user }: AccessArgs): boolean => isAdmin(user);

/** Admins touch everything; others only what `field` says is theirs. */
export const ownerOrAdmin =
  (field: string) =>
  ({ user }: AccessArgs): AccessResult => {
    if (!user) return false;
    return isAdmin(user) ? true : { [field]: { eq: user.id } };
  };

/** Users: readable by signed-in users; email only by the user themself and admins. */
export const users = {
  read: signedIn,
  create: adminOnly,
  update: ownerOrAdmin("id"),
  delete: ownerOrAdmin("id"),
  email: ({ user, doc }: AccessArgs) => isAdmin(user) || (user !== null && doc?.id === user.id),
};

/** Posts: published ones for everyone, plus the caller's own drafts; admins read all. */
export const posts = {
  read: ({ user }: AccessArgs): AccessResult => {
    if (isAdmin(user)) return true;
    const published = { status: { eq: "published" } };
    return user ? { or: [published, { author: { eq: user.id } }] } : published;
  },
  create: signedIn,
  update: ownerOrAdmin("author"),
  delete: ownerOrAdmin("author"),
};

/**
 * Comments: readable when their post is readable. The dotted path applies the
 * posts' own read rule, so this stays true to it whatever it becomes.
 */
export const comments = {
  read: (): AccessResult => ({ "post.id": { exists: true } }),
  create: signedIn,
  update: ownerOrAdmin("author"),
  delete: ownerOrAdmin("author"),
};
