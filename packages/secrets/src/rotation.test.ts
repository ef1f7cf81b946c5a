import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { openTestDatabase, type SecretsTestDatabase } from "../test/database.ts";
import {
  SecretDecryptionError,
  SecretNotFoundError,
  SecretsOptionsError,
  UnknownKeyVersionError,
} from "./errors.ts";
import { LucentSecrets } from "./lucent-secrets.ts";
import type { SecretsStore } from "./types.ts";

let t: SecretsTestDatabase;
const k1 = LucentSecrets.generateMasterKey();
const k2 = LucentSecrets.generateMasterKey();
let v1: SecretsStore;

beforeAll(async () => {
  t = await openTestDatabase();
  v1 = LucentSecrets.create({ adapter: t.db, masterKey: k1, keyVersion: 1 });
});
afterAll(() => t.close());
beforeEach(() => t.clear());

const versions = async () =>
  (await v1.list()).reduce<Record<number, number>>((acc, s) => {
    acc[s.keyVersion] = (acc[s.keyVersion] ?? 0) + 1;
    return acc;
  }, {});

describe("rotate one record", () => {
  test("re-encrypts under the new version, and the old key no longer opens it", async () => {
    await v1.set("user:1:github:token", { token: "abc" });
    await v1.set("user:2:github:token", { token: "def" });
    const [before] = await t.db.execute<{ nonce: Uint8Array }>(
      sql`select nonce from lucent_secrets where key = 'user:1:github:token'`,
    );

    expect(await v1.rotate("user:1:github:token", { masterKey: k2, keyVersion: 2 })).toBe(true);

    const [after] = await t.db.execute<{ nonce: Uint8Array; key_version: number }>(
      sql`select nonce, key_version from lucent_secrets where key = 'user:1:github:token'`,
    );
    expect(after!.key_version).toBe(2);
    expect(Buffer.from(after!.nonce).equals(Buffer.from(before!.nonce))).toBe(false);
    const v2 = LucentSecrets.create({ adapter: t.db, masterKey: k2, keyVersion: 2 });
    expect(await v2.get("user:1:github:token")).toEqual({ token: "abc" });
    // The old key, even when told the record is version 2, fails the tag check.
    const oldKeyAsV2 = LucentSecrets.create({ adapter: t.db, masterKey: k1, keyVersion: 2 });
    expect(oldKeyAsV2.get("user:1:github:token")).rejects.toBeInstanceOf(SecretDecryptionError);
    expect(v1.get("user:1:github:token")).rejects.toBeInstanceOf(UnknownKeyVersionError);
    // Only the record asked for moved.
    expect(await versions()).toEqual({ 1: 1, 2: 1 });
  });

  test("a second rotation to the same version does nothing and says so", async () => {
    await v1.set("k", "v");
    expect(await v1.rotate("k", { masterKey: k2, keyVersion: 2 })).toBe(true);
    const v2 = LucentSecrets.create({
      adapter: t.db,
      masterKey: k2,
      keyVersion: 2,
      previousKeys: { 1: k1 },
    });
    expect(await v2.rotate("k", { masterKey: k2, keyVersion: 2 })).toBe(false);
  });

  test('regression: the documented standalone flow (keyVersion "v1", rotate to "v2") round-trips and still reads records written with numbers', async () => {
    await v1.set("team:42:stripe:old", "written with the number 1");
    const labelled = LucentSecrets.create({ adapter: t.db, masterKey: k1, keyVersion: "v1" });
    expect(labelled.keyVersion).toBe(1);
    await labelled.set("team:42:stripe:live", { key: "sk_live" });
    expect(await labelled.get("team:42:stripe:old")).toBe("written with the number 1");
    for (const key of ["team:42:stripe:live", "team:42:stripe:old"]) {
      expect(await labelled.rotate(key, { masterKey: k2, keyVersion: "v2" })).toBe(true);
    }
    const v2 = LucentSecrets.create({ adapter: t.db, masterKey: k2, keyVersion: "v2" });
    expect(await v2.get("team:42:stripe:live")).toEqual({ key: "sk_live" });
    expect(await v2.get("team:42:stripe:old")).toBe("written with the number 1");
    // "v2" and 2 name the same key: a store configured with the number reads them too.
    const numbered = LucentSecrets.create({ adapter: t.db, masterKey: k2, keyVersion: 2 });
    expect(await numbered.get("team:42:stripe:live")).toEqual({ key: "sk_live" });
    expect(await versions()).toEqual({ 2: 2 });
  });

  test("rotating a missing record throws SecretNotFoundError", async () => {
    expect(v1.rotate("missing", { masterKey: k2, keyVersion: 2 })).rejects.toBeInstanceOf(
      SecretNotFoundError,
    );
  });

  test("a target version that already names a different key in the store is refused", async () => {
    await v1.set("k", "v");
    const error = await v1.rotate("k", { masterKey: k2, keyVersion: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretsOptionsError);
    expect((error as Error).message).toContain("keyVersion 1 already names a different master key");
    expect(await v1.get("k")).toBe("v");
  });

  test("a weak target key is refused before anything is written", async () => {
    await v1.set("k", "v");
    const weak = Buffer.alloc(32, 7).toString("base64");
    expect(v1.rotate("k", { masterKey: weak, keyVersion: 2 })).rejects.toThrow(
      "rotation target masterKey is weak",
    );
    expect((await v1.list())[0]!.keyVersion).toBe(1);
  });
});

describe("rotate the whole store", () => {
  test("re-encrypts every record in batches that each commit", async () => {
    for (let i = 0; i < 25; i++) await v1.set(`user:${i}:github:token`, { i });
    const seen: number[] = [];
    const result = await v1.rotateAll(
      { masterKey: k2, keyVersion: 2 },
      { batchSize: 10, onBatch: (p) => void seen.push(p.rotated) },
    );
    expect(result).toEqual({ rotated: 25, skipped: 0, batches: 3 });
    expect(seen).toEqual([10, 20, 25]);
    expect(await versions()).toEqual({ 2: 25 });
    const v2 = LucentSecrets.create({ adapter: t.db, masterKey: k2, keyVersion: 2 });
    for (let i = 0; i < 25; i++) expect(await v2.require(`user:${i}:github:token`)).toEqual({ i });
  });

  test("a rerun touches only the records still on another version", async () => {
    for (let i = 0; i < 6; i++) await v1.set(`k${i}`, i);
    await v1.rotate("k2", { masterKey: k2, keyVersion: 2 });
    await v1.rotate("k4", { masterKey: k2, keyVersion: 2 });
    const result = await v1.rotateAll({ masterKey: k2, keyVersion: 2 });
    expect(result.rotated).toBe(4);
    expect(await v1.rotateAll({ masterKey: k2, keyVersion: 2 })).toEqual({
      rotated: 0,
      skipped: 0,
      batches: 0,
    });
  });

  test("a store on the new version with the old key in previousKeys finishes a rotation", async () => {
    for (let i = 0; i < 4; i++) await v1.set(`k${i}`, i);
    await v1.rotate("k0", { masterKey: k2, keyVersion: 2 });
    const v2 = LucentSecrets.create({
      adapter: t.db,
      masterKey: k2,
      keyVersion: 2,
      previousKeys: { 1: k1 },
    });
    expect((await v2.rotateAll({ masterKey: k2, keyVersion: 2 })).rotated).toBe(3);
    expect(await versions()).toEqual({ 2: 4 });
  });

  test("prefix limits the rotation to matching keys", async () => {
    await v1.set("user:1:a:b", 1);
    await v1.set("team:1:a:b", 1);
    expect(
      (await v1.rotateAll({ masterKey: k2, keyVersion: 2 }, { prefix: "user:" })).rotated,
    ).toBe(1);
    expect(await versions()).toEqual({ 1: 1, 2: 1 });
  });

  test("a record the store cannot open stops the rotation and is named", async () => {
    await v1.set("a", 1);
    await t.db.execute(sql`update lucent_secrets set key_version = 9 where key = 'a'`);
    const error = await v1.rotateAll({ masterKey: k2, keyVersion: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownKeyVersionError);
    expect((error as Error).message).toContain('secret "a"');
  });

  test("a rotation to another adapter copies the records there and leaves the source as is", async () => {
    const other = await openTestDatabase();
    try {
      await v1.set("user:1:x:y", { deep: [1, { two: 2 }] });
      const result = await v1.rotateAll({ adapter: other.db, masterKey: k2, keyVersion: 2 });
      expect(result.rotated).toBe(1);
      const copy = LucentSecrets.create({ adapter: other.db, masterKey: k2, keyVersion: 2 });
      expect(await copy.get("user:1:x:y")).toEqual({ deep: [1, { two: 2 }] });
      expect(await v1.get("user:1:x:y")).toEqual({ deep: [1, { two: 2 }] });
      expect((await copy.list())[0]!.createdAt.getTime()).toBe(
        (await v1.list())[0]!.createdAt.getTime(),
      );
    } finally {
      await other.close();
    }
  }, 30_000);

  test.each([[0], [1.5], [20_000]])("batchSize %p is refused", async (batchSize) => {
    expect(v1.rotateAll({ masterKey: k2, keyVersion: 2 }, { batchSize })).rejects.toThrow(
      "batchSize must be an integer from 1 to 10000",
    );
  });
});
