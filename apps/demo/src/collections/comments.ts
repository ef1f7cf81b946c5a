import { defineCollection } from "@lucent/core";
import { openAccess } from "../access.ts";

export const Comments = defineCollection({
  slug: "comments",
  access: openAccess,
  fields: {
    // Comments go with their post.
    post: { type: "relationship", relationTo: "posts", required: true, onDelete: "cascade" },
    author: { type: "relationship", relationTo: "users" },
    body: { type: "text", required: true, maxLength: 5000 },
  },
  hooks: {
    beforeChange: [
      ({ data, operation, user }) => {
        if (operation === "create" && user) data.author = user.id;
        return data;
      },
    ],
  },
});
