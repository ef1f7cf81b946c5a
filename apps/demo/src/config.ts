import { defineLucentConfig } from "@lucent/core";
import { Comments } from "./collections/comments.ts";
import { Posts } from "./collections/posts.ts";
import { Users } from "./collections/users.ts";
import { jobs } from "./jobs.ts";

const corsOrigins = (Bun.env.CORS_ORIGINS ?? "")
  .split(",")
  .map((o) => o.trim())
  .filter(Boolean);

/** The demo's whole backend. Every variable of CONTRACT §2 is read by Lucent or here. */
export const config = defineLucentConfig({
  db: { url: Bun.env.DATABASE_URL },
  dataDir: Bun.env.LUCENT_DATA_DIR ?? ".lucent",
  api: {
    prefix: "/api",
    ...(corsOrigins.length ? { cors: { origin: corsOrigins, credentials: true } } : {}),
  },
  collections: [Users, Posts, Comments],
  jobs,
});
