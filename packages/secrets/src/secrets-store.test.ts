import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { flipByte, openTestDatabase, type SecretsTestDatabase } from "../test/database.ts";
import { TAG_BYTES } from "./cipher.ts";
import {
  InvalidSecretKeyError,
  InvalidSecretValueError,
  SecretDecryptionError,
  SecretNotFoundError,
  UnknownKeyVersionError,
} from "./errors.ts";
import { LucentSecrets } from "./lucent-secrets.ts";
import type { SecretsStore } from "./types.ts";

let t: SecretsTestDatabase;
let store: SecretsStore;
const masterKey = LucentSecrets.generateMasterKey();

beforeAll(async () => {
  t = await openTestDatabase();
  store = LucentSecrets.create({ adapter: t.db, masterKey, keyVersion: 1 });
});
afterAll(() => t.close());
beforeEach(() => t.clear());

const nested = {
  accessToken: "gho_abc123",
  refresh: { token: "r-1", expiresAt: "2030-01-01T00:00:00.000Z", scopes: ["repo", "user"] },
  counts: [1, 2.5, -3, 0],
  flags: { on: true, off: false, none: null },
  unicode: "clé – 鍵 – 🔑",
  empty: { list: [], map: {} },
};

describe("set and get", () => {
  test("a nested JSON value comes back exactly as it was stored", async () => {
    await store.set("user:1:github:oauth", nested);
    expect(await store.get("user:1:github:oauth")).toEqual(nested);
  });

  test.each([
    ["a string", "s3cr3t"],
    ["a number", 42.5],
    ["false", false],
    ["null", null],
    ["an array", [1, "two", { three: 3 }]],
  ])("%s round-trips as a top-level value", async (_name, value) => {
    await store.set("top", value);
    expect(await store.get("top")).toEqual(value);
  });

  test("the row holds neither the plaintext nor its JSON", async () => {
    await store.set("k", { token: "plain-token-value" });
    const [row] = await t.db.execute<{ ciphertext: Uint8Array; key_version: number }>(
      sql`select ciphertext, key_version from lucent_secrets where key = 'k'`,
    );
    const text = new TextDecoder("latin1").decode(row!.ciphertext);
    expect(text).not.toContain("plain-token-value");
    expect(row!.key_version).toBe(1);
  });

  test("each write draws a fresh nonce, even for the same value", async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 5; i++) {
      await store.set("same", "value");
      const [row] = await t.db.execute<{ nonce: Uint8Array }>(
        sql`select nonce from lucent_secrets where key = 'same'`,
      );
      expect(row!.nonce.length).toBe(12);
      nonces.add(Buffer.from(row!.nonce).toString("hex"));
    }
    expect(nonces.size).toBe(5);
  });

  test("set replaces the previous value and keeps created_at", async () => {
    await store.set("k", "one");
    const [before] = await store.list("k");
    await store.set("k", "two");
    const [after] = await store.list("k");
    expect(await store.get("k")).toBe("two");
    expect(after!.createdAt.getTime()).toBe(before!.createdAt.getTime());
  });

  test("get of a missing key is undefined, distinct from a stored null", async () => {
    await store.set("nothing", null);
    expect(await store.get("missing")).toBeUndefined();
    expect(await store.get("nothing")).toBeNull();
  });

  test.each([
    ["undefined", undefined, "undefined"],
    ["NaN inside an object", { a: { b: Number.NaN } }, "a.b"],
    ["a Date", { at: new Date() }, "Date"],
    ["a Map", new Map(), "Map"],
    ["a function in an array", [1, () => 1], "[1]"],
    ["a bigint", { n: 1n }, "bigint"],
  ])("set refuses %s instead of storing a changed value", async (_name, value, mentioned) => {
    const error = await store.set("bad", value).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidSecretValueError);
    expect((error as Error).message).toContain(mentioned);
    expect(await store.get("bad")).toBeUndefined();
  });

  test("set refuses a value that refers to itself", async () => {
    const cyclic: Record<string, unknown> = { token: "t" };
    cyclic.self = cyclic;
    expect(store.set("cyclic", cyclic)).rejects.toBeInstanceOf(InvalidSecretValueError);
  });

  test.each([[""], ["with\u0000nul"]])("a record key %p is refused", async (key) => {
    expect(store.set(key, 1)).rejects.toBeInstanceOf(InvalidSecretKeyError);
  });
});

describe("require, delete and list", () => {
  test("require returns the typed value", async () => {
    await store.set("cfg", { port: 5432, host: "db" });
    const value = await store.require<{ port: number; host: string }>("cfg");
    expect(value.port).toBe(5432);
  });

  test("require of a missing key throws SecretNotFoundError naming the key", async () => {
    const error = await store.require("team:7:stripe:key").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretNotFoundError);
    expect((error as SecretNotFoundError).code).toBe("NOT_FOUND");
    expect((error as Error).message).toBe('secret "team:7:stripe:key" not found');
  });

  test("delete removes the record and says whether there was one", async () => {
    await store.set("gone", "x");
    expect(await store.delete("gone")).toBe(true);
    expect(await store.delete("gone")).toBe(false);
    expect(await store.get("gone")).toBeUndefined();
  });

  test("list returns sorted metadata for a prefix, never values", async () => {
    for (const key of ["user:2:github:token", "user:1:github:token", "user:10:x:y", "team:1:a:b"]) {
      await store.set(key, "v");
    }
    const listed = await store.list("user:1");
    // Byte order: "0" sorts before ":".
    expect(listed.map((s) => s.key)).toEqual(["user:10:x:y", "user:1:github:token"]);
    expect(listed[1]).toEqual({
      key: "user:1:github:token",
      keyVersion: 1,
      createdAt: expect.any(Date),
      updatedAt: expect.any(Date),
    });
    expect((await store.list()).length).toBe(4);
  });

  test("list treats % and _ in the prefix literally", async () => {
    await store.set("a_b:1", 1);
    await store.set("axb:1", 1);
    await store.set("a%:1", 1);
    expect((await store.list("a_")).map((s) => s.key)).toEqual(["a_b:1"]);
    expect((await store.list("a%")).map((s) => s.key)).toEqual(["a%:1"]);
  });
});

describe("tampering and wrong keys", () => {
  const tampered = [
    ["a byte of the ciphertext", "ciphertext", () => 0],
    ["a byte of the tag", "ciphertext", (length: number) => length - TAG_BYTES + 3],
    ["a byte of the nonce", "nonce", () => 5],
  ] as const;

  test.each(tampered)(
    "a flipped bit in %s fails with SecretDecryptionError",
    async (_n, column, at) => {
      await store.set("victim", nested);
      await flipByte(t.db, "victim", column, at);
      const error = await store.get("victim").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SecretDecryptionError);
      expect((error as SecretDecryptionError).key).toBe("victim");
      expect((error as Error).message).toContain('secret "victim" could not be decrypted');
      expect((error as Error).message).not.toContain("gho_abc123");
    },
  );

  test("a ciphertext copied onto another record's key does not open (associated data)", async () => {
    await store.set("user:1:github:token", "alice-token");
    await store.set("user:2:github:token", "bob-token");
    await t.db.execute(sql`
      update lucent_secrets as dst set ciphertext = src.ciphertext, nonce = src.nonce
      from lucent_secrets as src
      where src.key = 'user:1:github:token' and dst.key = 'user:2:github:token'`);
    expect(await store.get("user:1:github:token")).toBe("alice-token");
    expect(store.get("user:2:github:token")).rejects.toBeInstanceOf(SecretDecryptionError);
  });

  test("a store with the wrong master key cannot read and says so", async () => {
    await store.set("k", "value");
    const other = LucentSecrets.create({
      adapter: t.db,
      masterKey: LucentSecrets.generateMasterKey(),
      keyVersion: 1,
    });
    const error = await other.get("k").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretDecryptionError);
    expect((error as Error).message).toContain("master key version 1");
  });

  test("a record on a version the store has no key for names that version", async () => {
    await store.set("k", "value");
    const v2 = LucentSecrets.create({
      adapter: t.db,
      masterKey: LucentSecrets.generateMasterKey(),
      keyVersion: 2,
    });
    const error = await v2.get("k").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownKeyVersionError);
    expect((error as Error).message).toContain("version 1");
    expect((error as Error).message).toContain("previousKeys");
  });

  test("previousKeys opens records of an earlier version while new writes use the current one", async () => {
    await store.set("old", "from v1");
    const v2 = LucentSecrets.create({
      adapter: t.db,
      masterKey: LucentSecrets.generateMasterKey(),
      keyVersion: 2,
      previousKeys: { 1: masterKey },
    });
    expect(await v2.get("old")).toBe("from v1");
    await v2.set("new", "from v2");
    expect((await v2.list("new"))[0]!.keyVersion).toBe(2);
    expect(store.get("new")).rejects.toBeInstanceOf(UnknownKeyVersionError);
  });
});
