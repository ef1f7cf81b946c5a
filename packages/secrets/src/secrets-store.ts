/** The store: encrypted JSON records in `lucent_secrets`, on any DatabaseAdapter. */
import type { DatabaseAdapter } from "@lucent/core";
import { sql } from "drizzle-orm";
import { seal } from "./cipher.ts";
import { SecretDecryptionError, SecretNotFoundError } from "./errors.ts";
import { decodeJson, encodeJson, type JsonValue } from "./json-value.ts";
import { Keyring, type KeyringLabels } from "./keyring.ts";
import { openRow, type StoredRow } from "./record.ts";
import { redacted } from "./redact.ts";
import { rotateMany, rotateOne } from "./rotation.ts";
import { assertRecordKey } from "./secret-key.ts";
import type {
  RotateAllOptions,
  RotationResult,
  RotationTarget,
  SecretInfo,
  SecretsStore,
  SecretsStoreOptions,
} from "./types.ts";

class LucentSecretsStore implements SecretsStore {
  readonly keyVersion: number;
  readonly #db: DatabaseAdapter;
  readonly #keyring: Keyring;

  constructor(options: SecretsStoreOptions, labels: KeyringLabels) {
    if (!options?.adapter || typeof options.adapter.execute !== "function") {
      throw new TypeError(
        "LucentSecrets.create: adapter is required (lucent.db or createDatabase())",
      );
    }
    this.#db = options.adapter;
    this.#keyring = new Keyring(options, labels);
    this.keyVersion = this.#keyring.current.version;
    redacted(this, () => `SecretsStore(keyVersion ${this.keyVersion}, redacted)`);
  }

  async set(key: string, value: unknown): Promise<void> {
    assertRecordKey(key);
    const plain = encodeJson(key, value);
    const sealed = await seal(this.#keyring.current, key, plain);
    plain.fill(0);
    await this.#db.execute(sql`
      insert into lucent_secrets (key, ciphertext, nonce, key_version)
      values (${key}, ${sealed.ciphertext}, ${sealed.nonce}, ${sealed.keyVersion})
      on conflict (key) do update set ciphertext = excluded.ciphertext, nonce = excluded.nonce,
        key_version = excluded.key_version, updated_at = now()`);
  }

  async get<T = JsonValue>(key: string): Promise<T | undefined> {
    assertRecordKey(key);
    const [row] = await this.#db.execute<StoredRow>(
      sql`select key, ciphertext, nonce, key_version from lucent_secrets where key = ${key}`,
    );
    if (!row) return undefined;
    const plain = await openRow(this.#keyring, row);
    try {
      return decodeJson(plain) as T;
    } catch {
      // A parser message could quote the plaintext: replace it.
      throw new SecretDecryptionError(
        key,
        row.key_version,
        `secret "${key}" decrypted but does not hold JSON`,
      );
    } finally {
      plain.fill(0);
    }
  }

  async require<T = JsonValue>(key: string): Promise<T> {
    const value = await this.get<T>(key);
    if (value === undefined) throw new SecretNotFoundError(key);
    return value;
  }

  async delete(key: string): Promise<boolean> {
    assertRecordKey(key);
    const rows = await this.#db.execute(
      sql`delete from lucent_secrets where key = ${key} returning key`,
    );
    return rows.length > 0;
  }

  // Byte order, so the result is the same on every server collation.
  async list(prefix = ""): Promise<SecretInfo[]> {
    const rows = await this.#db.execute<{
      key: string;
      key_version: number;
      created_at: Date;
      updated_at: Date;
    }>(sql`select key, key_version, created_at, updated_at from lucent_secrets
      where starts_with(key, ${prefix}) order by key collate "C"`);
    return rows.map((row) => ({
      key: row.key,
      keyVersion: row.key_version,
      createdAt: new Date(row.created_at),
      updatedAt: new Date(row.updated_at),
    }));
  }

  async rotate(key: string, target: RotationTarget): Promise<boolean> {
    assertRecordKey(key);
    return rotateOne(this.#source(), this.#target(target), key);
  }

  async rotateAll(target: RotationTarget, options: RotateAllOptions = {}): Promise<RotationResult> {
    return rotateMany(this.#source(), this.#target(target), options);
  }

  #source() {
    return { db: this.#db, keyring: this.#keyring };
  }

  #target(target: RotationTarget) {
    const keyring = new Keyring(target, { prefix: "rotation target " });
    return { db: target.adapter ?? this.#db, keyring };
  }
}

/** Opens a store. Throws at once when the master key is malformed or weak. */
export function createSecretsStore(
  options: SecretsStoreOptions,
  labels: KeyringLabels = {},
): SecretsStore {
  return new LucentSecretsStore(options, labels);
}
