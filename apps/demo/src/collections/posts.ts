import { defineCollection } from "@lucent/core";
import { adminOnly, isAdmin, posts } from "../access.ts";

export const Posts = defineCollection({
  slug: "posts",
  access: posts,
  // Fields hold what clients send (CONTRACT §14): no hook invents a slug or a publishedAt.
  fields: {
    title: { type: "text", required: true, maxLength: 200 },
    slug: { type: "text", unique: true },
    body: { type: "richtext" },
    status: { type: "select", options: ["draft", "published"], defaultValue: "draft", index: true },
    // Anyone else's `author` is dropped from the write; the hook below makes it the caller.
    author: {
      type: "relationship",
      relationTo: "users",
      access: { create: adminOnly, update: adminOnly },
    },
    tags: { type: "multiselect", options: ["news", "tech", "life"] },
    views: { type: "integer", defaultValue: 0, access: { create: adminOnly, update: adminOnly } },
    rating: { type: "number" },
    publishedAt: { type: "date" },
    metadata: { type: "json" },
    cover: {
      type: "upload",
      mimeTypes: ["image/*"],
      maxSize: 5 * 1024 * 1024,
      imageSizes: { thumb: { width: 320, height: 320, format: "webp" } },
    },
  },
  // The read rule filters on status and author: this index lets a filtered
  // count run on the index alone, as fast as an unfiltered one.
  indexes: [{ fields: ["status", "author"] }],
  hooks: {
    beforeChange: [
      ({ data, operation, user }) => {
        // The author is whoever creates the post, unless an admin names another.
        if (operation === "create" && user && !(isAdmin(user) && data.author))
          data.author = user.id;
        return data;
      },
    ],
    afterCommit: [
      async ({ doc, originalDoc, lucent }) => {
        // Publishing queues a job that counts the author's published posts.
        if (doc.status === "published" && originalDoc?.status !== "published" && doc.author) {
          await lucent.jobs.enqueue("count-published", { authorId: doc.author });
        }
        return undefined;
      },
    ],
  },
});
