/**
 * A rotation killed with SIGKILL midway leaves every record on v1 or v2, each
 * readable with its own key, and running the rotation again finishes it.
 * Runs against a real database: Postgres with TEST_DATABASE_URL, otherwise a
 * PGlite data directory (single-process: the child is dead before the parent opens it).
 */
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DatabaseAdapter } from "@lucent/core";
import { createDatabase } from "@lucent/core";
import { createTestDatabase, type TestDatabase } from "@lucent/test-utils";
import { LucentSecrets } from "./lucent-secrets.ts";
import { ensureSecretsTable } from "./table.ts";

const RECORDS = 10_000;
const BATCH = 250;
const KILL_AFTER_BATCH = 3;
const k1 = LucentSecrets.generateMasterKey();
const k2 = LucentSecrets.generateMasterKey();
const k3 = LucentSecrets.generateMasterKey();
const dataDir = mkdtempSync(join(tmpdir(), "lucent-secrets-rotation-"));
let testDb: TestDatabase | undefined;

const keyOf = (i: number) =>
  LucentSecrets.key("user", String(i).padStart(5, "0"), "github", "oauth");
const expectedValue = (i: number) => ({ token: `token-${i}`, scopes: ["repo"], meta: { i } });

async function open(url: string | undefined): Promise<DatabaseAdapter> {
  return createDatabase({ url, dataDir });
}

async function countByVersion(db: DatabaseAdapter): Promise<Record<number, number>> {
  const store = LucentSecrets.create({ adapter: db, masterKey: k1, keyVersion: 1 });
  const counts: Record<number, number> = {};
  for (const s of await store.list()) counts[s.keyVersion] = (counts[s.keyVersion] ?? 0) + 1;
  return counts;
}

afterAll(async () => {
  await testDb?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test("a rotation of 10,000 secrets killed midway leaves each readable with v1 or v2, and a rerun finishes it", async () => {
  if (Bun.env.TEST_DATABASE_URL) testDb = await createTestDatabase();
  const url = testDb?.url;

  // Seed with v1, then close: PGlite allows one process per data directory.
  let db = await open(url);
  await ensureSecretsTable(db);
  const v1 = LucentSecrets.create({ adapter: db, masterKey: k1, keyVersion: 1 });
  for (let i = 0; i < RECORDS; i += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, RECORDS - i) }, (_, j) =>
        v1.set(keyOf(i + j), expectedValue(i + j)),
      ),
    );
  }
  await db.close();

  const child = Bun.spawn(
    [
      process.execPath,
      "--conditions=lucent-source",
      join(import.meta.dir, "../test/rotation-child.ts"),
    ],
    {
      env: {
        ...Bun.env,
        ROTATION_DB_URL: url ?? "",
        ROTATION_DATA_DIR: dataDir,
        ROTATION_K1: k1,
        ROTATION_K2: k2,
        ROTATION_BATCH: String(BATCH),
      },
      stdout: "pipe",
      stderr: "inherit",
    },
  );
  let output = "";
  const decoder = new TextDecoder();
  const reader = child.stdout.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    output += decoder.decode(value, { stream: true });
    if (output.includes(`batch ${KILL_AFTER_BATCH} `)) {
      child.kill("SIGKILL");
      break;
    }
  }
  reader.releaseLock();
  await child.exited;
  expect(child.signalCode).toBe("SIGKILL");
  expect(output).not.toContain("done");

  db = await open(url);
  try {
    const counts = await countByVersion(db);
    console.log(`after the kill: ${counts[1] ?? 0} records on v1, ${counts[2] ?? 0} on v2`);
    expect(counts[2]).toBeGreaterThanOrEqual(KILL_AFTER_BATCH * BATCH);
    expect(counts[1]).toBeGreaterThan(0);
    expect((counts[1] ?? 0) + (counts[2] ?? 0)).toBe(RECORDS);

    // Each record opens with the key of the version it carries.
    const byVersion = {
      1: LucentSecrets.create({ adapter: db, masterKey: k1, keyVersion: 1 }),
      2: LucentSecrets.create({ adapter: db, masterKey: k2, keyVersion: 2 }),
    };
    const listed = await byVersion[1].list();
    for (const s of listed) {
      const store = byVersion[s.keyVersion as 1 | 2];
      const i = Number(s.key.split(":")[1]);
      expect(await store.get(s.key)).toEqual(expectedValue(i));
    }

    // The same call again finishes the job, touching only what is left on v1.
    const leftOver = counts[1] ?? 0;
    let started = performance.now();
    const rerun = await byVersion[1].rotateAll(
      { masterKey: k2, keyVersion: 2 },
      { batchSize: BATCH },
    );
    let seconds = (performance.now() - started) / 1000;
    console.log(
      `rerun: ${rerun.rotated} records in ${seconds.toFixed(2)} s (${Math.round(rerun.rotated / seconds)} records/s)`,
    );
    expect(rerun).toEqual({ rotated: leftOver, skipped: 0, batches: Math.ceil(leftOver / BATCH) });
    expect(await countByVersion(db)).toEqual({ 2: RECORDS });
    for (let i = 0; i < RECORDS; i += 997)
      expect(await byVersion[2].get(keyOf(i))).toEqual(expectedValue(i));

    // A clean, uninterrupted rotation of all 10,000, for the rate.
    started = performance.now();
    const full = await byVersion[2].rotateAll({ masterKey: k3, keyVersion: 3 }, { batchSize: 500 });
    seconds = (performance.now() - started) / 1000;
    console.log(
      `full rotation v2 -> v3 (${db.kind}): ${full.rotated} records in ${seconds.toFixed(2)} s (${Math.round(full.rotated / seconds)} records/s)`,
    );
    expect(full.rotated).toBe(RECORDS);
    expect(await countByVersion(db)).toEqual({ 3: RECORDS });
  } finally {
    await db.close();
  }
}, 180_000);
