/** Rows of `lucent_secrets` and turning them back into plaintext. */
import { type Bytes, open } from "./cipher.ts";
import { SecretDecryptionError } from "./errors.ts";
import type { Keyring } from "./keyring.ts";

/** A row as either driver returns it (postgres.js gives Buffer, PGlite Uint8Array). */
export interface StoredRow {
  [column: string]: unknown;
  key: string;
  ciphertext: Uint8Array;
  nonce: Uint8Array;
  key_version: number;
}

/** A copy detached from the driver's (possibly pooled) buffer. */
export function ownBytes(value: Uint8Array): Bytes {
  return new Uint8Array(value);
}

/** Decrypts a row with the key of its version; throws naming the record, never its content. */
export async function openRow(keyring: Keyring, row: StoredRow): Promise<Bytes> {
  const masterKey = keyring.forRecord(row.key, row.key_version);
  const plain = await open(masterKey, row.key, {
    ciphertext: ownBytes(row.ciphertext),
    nonce: ownBytes(row.nonce),
  });
  if (!plain) throw new SecretDecryptionError(row.key, row.key_version);
  return plain;
}
