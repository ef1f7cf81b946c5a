import { describe, expect, test } from "bun:test";
import { InvalidSecretKeyError } from "./errors.ts";
import { LucentSecrets } from "./lucent-secrets.ts";

describe("LucentSecrets.key", () => {
  test("joins scope, ownerId, provider and name with colons", () => {
    expect(LucentSecrets.key("user", "018f2a", "github", "oauth")).toBe("user:018f2a:github:oauth");
  });

  test("a built key splits back into exactly its four parts", () => {
    const parts = ["team", "42", "stripe", "live-key"] as const;
    expect(LucentSecrets.key(...parts).split(":")).toEqual([...parts]);
  });

  const bad: Array<[string, [string, string, string, string], string, string]> = [
    ["an empty scope", ["", "1", "github", "token"], "scope", "must not be empty"],
    ["an empty ownerId", ["user", "", "github", "token"], "ownerId", "must not be empty"],
    ["a blank provider", ["user", "1", "  ", "token"], "provider", "must not be empty"],
    ["an empty name", ["user", "1", "github", ""], "name", "must not be empty"],
    [
      "a scope with a colon",
      ["user:admin", "1", "github", "token"],
      "scope",
      'must not contain ":"',
    ],
    [
      "an ownerId with a colon",
      ["user", "a:b", "github", "token"],
      "ownerId",
      'must not contain ":"',
    ],
    [
      "a provider with a colon",
      ["user", "1", "git:hub", "token"],
      "provider",
      'must not contain ":"',
    ],
    ["a name with a colon", ["user", "1", "github", ":"], "name", 'must not contain ":"'],
    [
      "a name with a newline",
      ["user", "1", "github", "a\nb"],
      "name",
      "must not contain control characters",
    ],
  ];

  test.each(bad)("%s is rejected with InvalidSecretKeyError", (_name, parts, part, message) => {
    let error: unknown;
    try {
      LucentSecrets.key(...parts);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidSecretKeyError);
    expect((error as InvalidSecretKeyError).code).toBe("VALIDATION_ERROR");
    expect((error as Error).message).toBe(`${part}: ${message}`);
  });
});
