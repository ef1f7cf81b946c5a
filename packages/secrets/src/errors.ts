/**
 * Named errors of @lucent/secrets. Messages name the record key, the key
 * version or the option at fault, never a value or any key material.
 */
import { ConfigError, LucentError, NotFoundError, ValidationError } from "@lucent/core";

function headed(title: string, problems: readonly string[]): string {
  return `${title}:\n${problems.map((p) => `  - ${p}`).join("\n")}`;
}

/** `require()` found no record under the key. */
export class SecretNotFoundError extends NotFoundError {
  readonly key: string;
  constructor(key: string) {
    super(`secret "${key}" not found`);
    this.name = "SecretNotFoundError";
    this.key = key;
  }
}

/**
 * A record did not decrypt: the master key is not the one it was written
 * with, or the ciphertext, nonce, tag or record key was altered. AES-GCM
 * cannot tell these apart, so neither can the message.
 */
export class SecretDecryptionError extends LucentError {
  readonly key: string;
  readonly keyVersion: number;
  constructor(key: string, keyVersion: number, reason?: string) {
    super(
      "INTERNAL",
      reason ??
        `secret "${key}" could not be decrypted with master key version ${keyVersion}: the key is wrong, or the record was altered or copied from another key`,
    );
    this.name = "SecretDecryptionError";
    this.key = key;
    this.keyVersion = keyVersion;
  }
}

/** A record is on a key version the store holds no master key for. */
export class UnknownKeyVersionError extends SecretDecryptionError {
  constructor(key: string, keyVersion: number, known: readonly number[]) {
    super(
      key,
      keyVersion,
      `secret "${key}" is encrypted with master key version ${keyVersion}, but this store only has version${known.length === 1 ? "" : "s"} ${known.join(", ")}; pass the old key in previousKeys`,
    );
    this.name = "UnknownKeyVersionError";
  }
}

/** A master key that is missing, malformed or weak; raised at startup. */
export class InvalidMasterKeyError extends ConfigError {
  constructor(problems: string[]) {
    super(problems);
    this.name = "InvalidMasterKeyError";
    this.message = headed("Invalid secrets master key", problems);
  }
}

/** A record key, or a part given to `LucentSecrets.key()`, that cannot be used. */
export class InvalidSecretKeyError extends ValidationError {
  constructor(path: string, message: string) {
    super([{ path, message }], `${path}: ${message}`);
    this.name = "InvalidSecretKeyError";
  }
}

/** A value that JSON cannot carry without loss (undefined, NaN, a Date, a Map...). */
export class InvalidSecretValueError extends ValidationError {
  constructor(key: string, path: string, message: string) {
    const where = path ? ` at ${path}` : "";
    super([{ path: path || "value", message }], `secret "${key}": value${where} ${message}`);
    this.name = "InvalidSecretValueError";
  }
}

/** The options of `LucentSecrets.create()` or of a rotation are unusable. */
export class SecretsOptionsError extends ConfigError {
  constructor(problems: string[]) {
    super(problems);
    this.name = "SecretsOptionsError";
    this.message = headed("Invalid secrets options", problems);
  }
}
