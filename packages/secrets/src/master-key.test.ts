import { describe, expect, test } from "bun:test";
import type { DatabaseAdapter } from "@lucent/core";
import { ConfigError } from "@lucent/core";
import { decodeBase64, encodeBase64, encodeHexLowerCase } from "@oslojs/encoding";
import { InvalidMasterKeyError } from "./errors.ts";
import { LucentSecrets } from "./lucent-secrets.ts";
import { masterKeyProblem } from "./master-key.ts";

// Key checks happen before the database is touched: any adapter shape will do.
const adapter = { execute: async () => [] } as unknown as DatabaseAdapter;
const random = () => crypto.getRandomValues(new Uint8Array(32));
const text = (s: string) => new TextEncoder().encode(s);

describe("generateMasterKey", () => {
  test("returns 32 random bytes as base64, different every time", () => {
    const a = LucentSecrets.generateMasterKey();
    const b = LucentSecrets.generateMasterKey();
    expect(a).toHaveLength(44);
    expect(decodeBase64(a)).toHaveLength(32);
    expect(a).not.toBe(b);
    expect(masterKeyProblem(a)).toBeUndefined();
  });
});

describe("accepted encodings", () => {
  const bytes = random();
  test.each([
    ["base64", encodeBase64(bytes)],
    ["base64 without padding", encodeBase64(bytes).replace(/=$/, "")],
    ["base64url", encodeBase64(bytes).replaceAll("+", "-").replaceAll("/", "_")],
    ["hex", encodeHexLowerCase(bytes)],
    ["upper-case hex", encodeHexLowerCase(bytes).toUpperCase()],
    ["base64 with a trailing newline", `${encodeBase64(bytes)}\n`],
  ])("a key given as %s is accepted", (_name, key) => {
    expect(masterKeyProblem(key)).toBeUndefined();
    expect(LucentSecrets.create({ adapter, masterKey: key }).keyVersion).toBe(1);
  });

  test("the raw 32 bytes are accepted", () => {
    expect(LucentSecrets.create({ adapter, masterKey: random(), keyVersion: 3 }).keyVersion).toBe(
      3,
    );
  });
});

describe("refused at startup", () => {
  const refused: Array<[string, string | Uint8Array, string]> = [
    ["an empty string", "", "is empty"],
    ["a 16-byte base64 key", encodeBase64(random().slice(0, 16)), "decodes to 16"],
    [
      "a 48-byte base64 key",
      encodeBase64(crypto.getRandomValues(new Uint8Array(48))),
      "decodes to 48",
    ],
    ["a 62-digit hex key", encodeHexLowerCase(random()).slice(0, 62), "decodes to"],
    ["a passphrase", "correct horse battery staple", "must be 32 bytes as base64 or hex"],
    ["31 raw bytes", random().slice(0, 31), "exactly 32 bytes, got 31"],
    ["32 zero bytes", encodeBase64(new Uint8Array(32)), "only 1 distinct byte value,"],
    [
      "a repeated 4-byte pattern",
      encodeHexLowerCase(new Uint8Array(32).map((_, i) => [1, 2, 3, 4][i % 4]!)),
      "only 4 distinct",
    ],
    ["the bytes 0..31", encodeBase64(new Uint8Array(32).map((_, i) => i)), "simple sequence"],
    [
      "a base64-encoded password",
      encodeBase64(text("my-very-long-password-1234567890")),
      "printable text",
    ],
  ];

  test.each(refused)("%s is refused with InvalidMasterKeyError", (_name, key, reason) => {
    let error: unknown;
    try {
      LucentSecrets.create({ adapter, masterKey: key, keyVersion: 1 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidMasterKeyError);
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as InvalidMasterKeyError).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toStartWith("masterKey ");
    expect(problems[0]).toContain(reason);
    if (typeof key === "string" && key.length > 0)
      expect((error as Error).message).not.toContain(key);
  });

  test("a weak key in previousKeys is refused and named by its version", () => {
    expect(() =>
      LucentSecrets.create({
        adapter,
        masterKey: LucentSecrets.generateMasterKey(),
        keyVersion: 2,
        previousKeys: { 1: encodeBase64(new Uint8Array(32)) },
      }),
    ).toThrow("previousKeys[1] is weak");
  });

  test.each([[0], [-1], [1.5], [2 ** 31]])("keyVersion %p is refused", (keyVersion) => {
    expect(() =>
      LucentSecrets.create({ adapter, masterKey: LucentSecrets.generateMasterKey(), keyVersion }),
    ).toThrow('keyVersion must be a label such as "v1" or "v2" (or a positive integer)');
  });

  test("a missing master key says where to set one", () => {
    const options = { adapter, masterKey: undefined } as unknown as Parameters<
      typeof LucentSecrets.create
    >[0];
    expect(() => LucentSecrets.create(options)).toThrow("masterKey is required");
  });
});
