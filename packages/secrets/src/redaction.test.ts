/** Nothing this package creates prints key material or plaintext, however it is printed. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { inspect } from "node:util";
import { decodeBase64, encodeHexLowerCase } from "@oslojs/encoding";
import { sql } from "drizzle-orm";
import { openTestDatabase, type SecretsTestDatabase } from "../test/database.ts";
import { InvalidSecretValueError, SecretDecryptionError } from "./errors.ts";
import { Keyring } from "./keyring.ts";
import { LucentSecrets } from "./lucent-secrets.ts";
import { MasterKey } from "./master-key.ts";
import { secrets } from "./module.ts";

let t: SecretsTestDatabase;
const masterKey = LucentSecrets.generateMasterKey();
const previous = LucentSecrets.generateMasterKey();
const plaintext = "plaintext-canary-7f3a";
const forbidden = [masterKey, encodeHexLowerCase(decodeBase64(masterKey)), previous, plaintext];

const renderings = (value: unknown): Record<string, string> => ({
  String: String(value),
  template: `${value}`,
  "JSON.stringify": JSON.stringify(value) ?? "",
  "JSON.stringify (nested)": JSON.stringify({ value }),
  "Bun.inspect": Bun.inspect(value),
  "Bun.inspect (nested)": Bun.inspect({ value }),
  "util.inspect": inspect(value, { depth: 10, showHidden: true }),
});

function expectClean(value: unknown): void {
  for (const [how, text] of Object.entries(renderings(value))) {
    for (const secret of forbidden) {
      if (text.includes(secret))
        throw new Error(`${how} printed key material or plaintext: ${text}`);
    }
  }
  expect(Bun.inspect(value)).toContain("redacted");
}

beforeAll(async () => {
  t = await openTestDatabase();
});
afterAll(() => t.close());

describe("objects holding keys print nothing of them", () => {
  test("a store prints its key version and nothing else", () => {
    const store = LucentSecrets.create({
      adapter: t.db,
      masterKey,
      keyVersion: 2,
      previousKeys: { 1: previous },
    });
    expectClean(store);
    expect(String(store)).toBe("SecretsStore(keyVersion 2, redacted)");
  });

  test("a master key and a keyring print no key bytes", () => {
    expectClean(MasterKey.parse(masterKey, 1, "masterKey"));
    expectClean(new Keyring({ masterKey, keyVersion: 2, previousKeys: { 1: previous } }));
  });

  test("the module object and its options print no key", () => {
    const module = secrets({ masterKey, previousKeys: { 1: previous } });
    expectClean(module.options);
    for (const text of Object.values(renderings(module))) {
      for (const secret of forbidden) expect(text).not.toContain(secret);
    }
  });

  test("lucent.secrets built by the module prints no key", async () => {
    const module = secrets({ masterKey });
    expectClean((await module.setup({ db: t.db } as never)).api);
  });
});

describe("errors name the record, never the value", () => {
  test("a decryption failure says which record failed and nothing of its content", async () => {
    const store = LucentSecrets.create({ adapter: t.db, masterKey });
    await store.set("user:1:github:token", { token: plaintext });
    await t.db.execute(
      sql`update lucent_secrets set ciphertext = substring(ciphertext from 2) || '\\x00'::bytea`,
    );
    const error = await store.get("user:1:github:token").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretDecryptionError);
    expect(Bun.inspect(error)).toContain("user:1:github:token");
    for (const text of Object.values(renderings(error))) {
      for (const secret of forbidden) expect(text).not.toContain(secret);
    }
  });

  test("a refused value is described by its path, not its content", async () => {
    const store = LucentSecrets.create({ adapter: t.db, masterKey });
    const error = await store
      .set("k", { token: plaintext, when: new Date() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidSecretValueError);
    expect((error as Error).message).toBe(
      'secret "k": value at when is a Date, not plain JSON; convert it first',
    );
    expect(Bun.inspect(error)).not.toContain(plaintext);
  });

  test("a refused master key is described without the key", () => {
    const weak = Buffer.from("password-password-password-12345").toString("base64");
    let error: unknown;
    try {
      LucentSecrets.create({ adapter: t.db, masterKey: weak });
    } catch (e) {
      error = e;
    }
    expect(Bun.inspect(error)).toContain("masterKey is weak");
    expect(Bun.inspect(error)).not.toContain(weak);
    expect(Bun.inspect(error)).not.toContain("password-password");
  });
});
