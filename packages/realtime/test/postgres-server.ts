/** A throwaway database on the test Postgres server (TEST_DATABASE_URL, or the local one), for drivers that need a real server. */
import postgres from "postgres";

export const POSTGRES_SERVER =
  Bun.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
export const REDIS_URL = Bun.env.REDIS_URL || "redis://127.0.0.1:6379";

export async function throwawayDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `lucent_rt_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(POSTGRES_SERVER, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(POSTGRES_SERVER);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const admin = postgres(POSTGRES_SERVER, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}
