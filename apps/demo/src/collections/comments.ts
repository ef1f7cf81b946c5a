import { defineCollection, NotFoundError, ValidationError } from "@lucent/core";
import { adminOnly, comments, isAdmin } from "../access.ts";

export const Comments = defineCollection({
  slug: "comments",
  access: comments,
  fields: {
    // Comments go with their post.
    post: { type: "relationship", relationTo: "posts", required: true, onDelete: "cascade" },
    // Anyone else's `author` is dropped from the write; the hook below makes it the caller.
    author: {
      type: "relationship",
      relationTo: "users",
      access: { create: adminOnly, update: adminOnly },
    },
    body: { type: "text", required: true },
  },
  hooks: {
    beforeChange: [
      async ({ data, operation, user, lucent }) => {
        if (operation === "create" && user && !(isAdmin(user) && data.author))
          data.author = user.id;
        // A comment may only go on a post its author can read.
        if (typeof data.post === "string" && user) {
          try {
            await lucent.findById({ collection: "posts", id: data.post, user });
          } catch (error) {
            if (error instanceof NotFoundError) {
              throw new ValidationError([
                { path: "post", message: "the related document does not exist" },
              ]);
            }
            throw error;
          }
        }
        return data;
      },
    ],
  },
});
