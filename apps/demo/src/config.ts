import { join } from "node:path";
import { defineLucentConfig } from "@lucent/core";
import { Comments } from "./collections/comments.ts";
import { Posts } from "./collections/posts.ts";
import { Users } from "./collections/users.ts";
import { jobs } from "./jobs.ts";
import { demoModules } from "./modules.ts";

const corsOrigins = (Bun.env.CORS_ORIGINS ?? "")
  .split(",")
  .map((o) => o.trim())
  .filter(Boolean);

/**
 * The demo's whole backend. Every variable of CONTRACT §2 is read by Lucent or
 * here. A function, because each running kernel needs its own module objects.
 */
export const createConfig = () =>
  defineLucentConfig({
    db: { url: Bun.env.DATABASE_URL },
    dataDir: Bun.env.LUCENT_DATA_DIR ?? ".lucent",
    api: {
      prefix: "/api",
      ...(corsOrigins.length ? { cors: { origin: corsOrigins, credentials: true } } : {}),
      // Proxies in front of the demo whose X-Forwarded-For is believed; a bad value stops startup.
      ...(Bun.env.TRUST_PROXY ? { trustProxy: Number(Bun.env.TRUST_PROXY) } : {}),
      // Limits come from RATE_LIMIT_API / RATE_LIMIT_AUTH; the prefix separates apps sharing a Redis.
      rateLimit: { keyPrefix: Bun.env.RATE_LIMIT_PREFIX ?? "demo:" },
    },
    collections: [Users, Posts, Comments],
    modules: demoModules(),
    jobs,
    // Regenerated at startup in development; the demo compiles against it.
    typegen: { output: join(import.meta.dir, "lucent-types.ts") },
  });

export const config = createConfig();
