import { defineCollection } from "@lucent/core";
import { adminOnly, isAdmin, posts } from "../access.ts";
import { slugify } from "../slugify.ts";

export const Posts = defineCollection({
  slug: "posts",
  access: posts,
  fields: {
    title: { type: "text", required: true, maxLength: 200 },
    slug: { type: "text", unique: true, maxLength: 220 },
    body: { type: "richtext" },
    status: { type: "select", options: ["draft", "published"], defaultValue: "draft", index: true },
    author: { type: "relationship", relationTo: "users" },
    tags: { type: "multiselect", options: ["news", "tech", "life"] },
    views: { type: "integer", min: 0, defaultValue: 0, access: { update: adminOnly } },
    rating: { type: "number", min: 0, max: 5 },
    publishedAt: { type: "date" },
    metadata: { type: "json" },
    cover: { type: "upload", mimeTypes: ["image/*"], maxSize: 5 * 1024 * 1024 },
  },
  // The read rule filters on status and author: this index lets a filtered
  // count run on the index alone, as fast as an unfiltered one.
  indexes: [{ fields: ["status", "author"] }],
  hooks: {
    beforeChange: [
      ({ data, operation, originalDoc, user }) => {
        // The author is whoever creates the post; an admin may name another author.
        if (operation === "create" && user && !(isAdmin(user) && data.author))
          data.author = user.id;
        if (operation === "create" && !data.slug && typeof data.title === "string") {
          data.slug = slugify(data.title);
        }
        if (data.status === "published" && !data.publishedAt && !originalDoc?.publishedAt) {
          data.publishedAt = new Date().toISOString();
        }
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
