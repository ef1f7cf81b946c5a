/** Fills the demo with sample users, posts and comments through the Local API. */
import { getLucent } from "@lucent/core";
import { config } from "./config.ts";

const lucent = await getLucent(config);
const count = Number(Bun.argv[2] ?? 50);
const tags = ["news", "tech", "life"] as const;
const asAdmin = { overrideAccess: true } as const;

const authors = [];
for (const name of ["Ada", "Grace", "Linus"]) {
  const email = `${name.toLowerCase()}-${Bun.randomUUIDv7().slice(-6)}@example.com`;
  const password = `seed-${Bun.randomUUIDv7()}`;
  authors.push(
    await lucent.create({ collection: "users", data: { name, email, password }, ...asAdmin }),
  );
}
for (let i = 0; i < count; i++) {
  const author = authors[i % authors.length]!;
  const suffix = Bun.randomUUIDv7().slice(-6);
  const published = i % 3 !== 0;
  // Posts hold what they are given (CONTRACT §14): the seed sends the slug and publishedAt itself.
  const post = await lucent.create({
    collection: "posts",
    data: {
      title: `Sample post ${i + 1} ${suffix}`,
      slug: `sample-post-${i + 1}-${suffix}`,
      body: { type: "doc", content: [{ type: "paragraph", text: `Body of post ${i + 1}` }] },
      status: published ? "published" : "draft",
      ...(published ? { publishedAt: new Date().toISOString() } : {}),
      author: author.id,
      tags: [tags[i % 3]!, ...(i % 2 ? [tags[(i + 1) % 3]!] : [])],
      views: i * 7,
      rating: (i % 10) / 2,
      metadata: { source: "seed", index: i },
    },
    ...asAdmin,
  });
  await lucent.create({
    collection: "comments",
    data: {
      post: post.id,
      author: authors[(i + 1) % authors.length]!.id,
      body: `A comment on post ${i + 1}`,
    },
    ...asAdmin,
  });
}
console.log(`seeded ${authors.length} users, ${count} posts and ${count} comments`);
await lucent.close();
