import type { JobDefinitions } from "@lucent/core";

/** The demo's jobs; handlers get the Local API through their context. */
export const jobs = {
  "count-published": {
    attempts: 3,
    handler: async (data: { authorId: string }, ctx) => {
      const { totalDocs } = await ctx.lucent.count({
        collection: "posts",
        where: { author: { eq: data.authorId }, status: { eq: "published" } },
        overrideAccess: true,
      });
      ctx.logger.info(
        { authorId: data.authorId, published: totalDocs },
        "author's published posts counted",
      );
    },
  },
} satisfies JobDefinitions;
