import { audit } from "@lucent/audit";
import { auth, type OAuthOptions } from "@lucent/auth";
import type { LucentModule } from "@lucent/core";
import { openapi } from "@lucent/openapi";
import { queue } from "@lucent/queue";
import { realtime } from "@lucent/realtime";
import { secrets } from "@lucent/secrets";
import { storageS3 } from "@lucent/storage-s3";
import { webhooks } from "@lucent/webhooks";

/** OAuth providers whose client id and secret are in the environment. */
function oauthFromEnv(env: Record<string, string | undefined>): OAuthOptions | undefined {
  const oauth: OAuthOptions = {};
  if (env.GITHUB_CLIENT_ID && env.GITHUB_CLIENT_SECRET) {
    oauth.github = { clientId: env.GITHUB_CLIENT_ID, clientSecret: env.GITHUB_CLIENT_SECRET };
  }
  if (env.GOOGLE_CLIENT_ID && env.GOOGLE_CLIENT_SECRET) {
    oauth.google = { clientId: env.GOOGLE_CLIENT_ID, clientSecret: env.GOOGLE_CLIENT_SECRET };
  }
  if (env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET) {
    oauth.oidc = {
      issuer: env.OIDC_ISSUER,
      clientId: env.OIDC_CLIENT_ID,
      clientSecret: env.OIDC_CLIENT_SECRET,
    };
  }
  return Object.keys(oauth).length ? oauth : undefined;
}

/**
 * The demo's modules: auth, secrets, the OpenAPI document with its docs UI
 * at /api/docs, the audit log (/api/audit), signed webhooks (/api/webhooks,
 * their secrets kept by @lucent/secrets), realtime (SSE under /api/realtime,
 * WebSocket at /ws; fanned out through Redis when REDIS_URL is set, Postgres
 * LISTEN/NOTIFY otherwise), and BullMQ jobs when REDIS_URL is set (the
 * built-in SQLite queue otherwise), and S3 storage when S3_BUCKET is set.
 */
export function demoModules(env: Record<string, string | undefined> = Bun.env): LucentModule[] {
  const oauth = oauthFromEnv(env);
  return [
    auth({
      strategies: ["jwt", "session", "apiKey"],
      verify: env.DEMO_VERIFY === "1",
      ...(oauth ? { oauth } : {}),
    }),
    secrets(),
    openapi({ path: "/api/docs" }),
    audit(),
    webhooks(),
    realtime({ ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}) }),
    ...(env.REDIS_URL ? [queue({ url: env.REDIS_URL })] : []),
    // Files on S3 when the S3_* variables name a bucket; on local disk under .lucent/uploads otherwise.
    ...(env.S3_BUCKET ? [storageS3()] : []),
  ];
}
