/** Collections the tests subscribe to: posts with owner/admin rules and a hidden field, comments behind a dotted path. */
import type { AccessArgs, AccessResult } from "@lucent/core";
import { defineCollection } from "@lucent/core";

const isAdmin = (user: AccessArgs["user"]) => user?.role === "admin";

export const Users = defineCollection({
  slug: "users",
  auth: true,
  fields: {
    name: { type: "text" },
    role: { type: "select", options: ["admin", "user"], defaultValue: "user" },
  },
  access: {
    read: ({ user }) => user !== null,
    update: ({ user }) => (user ? (isAdmin(user) ? true : { id: { eq: user.id } }) : false),
  },
});

export const Posts = defineCollection({
  slug: "posts",
  fields: {
    title: { type: "text", required: true },
    status: { type: "select", options: ["draft", "published"], defaultValue: "draft" },
    author: { type: "relationship", relationTo: "users" },
    body: { type: "text" },
    // Only admins read it: realtime events must leave it out for everyone else.
    note: { type: "text", access: { read: ({ user }) => isAdmin(user) } },
  },
  access: {
    read: ({ user }): AccessResult => {
      if (isAdmin(user)) return true;
      const published = { status: { eq: "published" } };
      return user ? { or: [published, { author: { eq: user.id } }] } : published;
    },
    create: () => true,
    update: () => true,
    delete: () => true,
  },
  hooks: {
    afterRead: [
      ({ doc }) => {
        // A write whose response cannot be built rolls back after the outbox row was written.
        if (doc.title === "roll me back") throw new Error("rolled back on purpose");
        return doc;
      },
    ],
  },
});

export const Comments = defineCollection({
  slug: "comments",
  fields: {
    post: { type: "relationship", relationTo: "posts", required: true },
    text: { type: "text", required: true },
  },
  access: {
    // Readable when its post is: a dotted path, which memory alone cannot decide.
    read: (): AccessResult => ({ "post.id": { exists: true } }),
    create: () => true,
    update: () => true,
    delete: () => true,
  },
});
