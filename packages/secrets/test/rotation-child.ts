/**
 * Runs one whole-store rotation from v1 to v2 and reports each committed
 * batch on stdout, so the interrupted-rotation test can kill it midway.
 */
import { createDatabase } from "@lucent/core";
import { LucentSecrets } from "../src/lucent-secrets.ts";

const env = (name: string): string => {
  const value = Bun.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

const db = await createDatabase({
  url: Bun.env.ROTATION_DB_URL || undefined,
  dataDir: env("ROTATION_DATA_DIR"),
});
const store = LucentSecrets.create({ adapter: db, masterKey: env("ROTATION_K1"), keyVersion: 1 });
const started = performance.now();
const result = await store.rotateAll(
  { masterKey: env("ROTATION_K2"), keyVersion: 2 },
  {
    batchSize: Number(env("ROTATION_BATCH")),
    onBatch: (p) => console.log(`batch ${p.batch} rotated ${p.rotated}`),
  },
);
console.log(`done ${result.rotated} in ${Math.round(performance.now() - started)} ms`);
await db.close();
