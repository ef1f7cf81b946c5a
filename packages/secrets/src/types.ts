/** Public types of the store, shared by the standalone API and the module. */
import type { DatabaseAdapter } from "@lucent/core";
import type { JsonValue } from "./json-value.ts";
import type { KeyVersionInput } from "./key-version.ts";
import type { MasterKeyInput } from "./master-key.ts";

export interface SecretsStoreOptions {
  /** The database: `lucent.db`, or an adapter from `createDatabase()` of @lucent/core. */
  adapter: DatabaseAdapter;
  /** 32 bytes as base64 (44 characters) or hex (64), or the raw bytes. */
  masterKey: MasterKeyInput;
  /**
   * The version written beside every ciphertext this store produces: a label
   * such as `"v1"` or the number it stands for (`"v2"` is `2`). @default "v1"
   */
  keyVersion?: KeyVersionInput;
  /** Master keys of earlier versions (`{ v1: oldKey }` or `{ 1: oldKey }`), to read records a rotation has not reached yet. @default {} */
  previousKeys?: Readonly<Record<string, MasterKeyInput>>;
}

/** Where a rotation writes to: the adapter defaults to the store's own. */
export type RotationTarget = Omit<SecretsStoreOptions, "adapter"> & {
  /** @default the store's adapter */
  adapter?: DatabaseAdapter;
};

export interface RotateAllOptions {
  /** Records re-encrypted and committed per statement. @default 500 */
  batchSize?: number;
  /** Only rotate records whose key starts with this. @default "" (all) */
  prefix?: string;
  /** Called after each committed batch. */
  onBatch?: (progress: RotationProgress) => void | Promise<void>;
}

export interface RotationProgress {
  /** 1-based number of the batch just committed. */
  batch: number;
  /** Records re-encrypted so far in this run. */
  rotated: number;
  /** Records left alone so far because they changed while being rotated. */
  skipped: number;
}

export interface RotationResult {
  rotated: number;
  skipped: number;
  batches: number;
}

/** A record's metadata; `list` never decrypts. */
export interface SecretInfo {
  key: string;
  keyVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface SecretsStore {
  /** The version this store encrypts with. */
  readonly keyVersion: number;
  /** Encrypts and stores a JSON value under `key`, replacing any previous one. */
  set(key: string, value: unknown): Promise<void>;
  /** The decrypted value, or `undefined` when there is none (JSON has no `undefined`). */
  get<T = JsonValue>(key: string): Promise<T | undefined>;
  /** Like `get`, but a missing record throws SecretNotFoundError. */
  require<T = JsonValue>(key: string): Promise<T>;
  /** Removes the record; true when there was one. */
  delete(key: string): Promise<boolean>;
  /** Keys and metadata of the records whose key starts with `prefix`, in byte order of the key. */
  list(prefix?: string): Promise<SecretInfo[]>;
  /**
   * Re-encrypts one record under `target`'s key and version. Returns false when it
   * is already on that version; throws SecretNotFoundError when there is no record.
   */
  rotate(key: string, target: RotationTarget): Promise<boolean>;
  /**
   * Re-encrypts every record not yet on `target`'s version, in batches that each
   * commit on their own: an interrupted run leaves each record on the old or the
   * new version, and running it again finishes the rest.
   */
  rotateAll(target: RotationTarget, options?: RotateAllOptions): Promise<RotationResult>;
}
