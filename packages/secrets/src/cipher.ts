/**
 * AES-256-GCM through WebCrypto. Every seal draws a fresh 96-bit nonce, and
 * the record key is the associated data, so a ciphertext moved to another
 * record no longer opens. The stored ciphertext is WebCrypto's output: the
 * encrypted bytes followed by the 16-byte tag.
 */
import type { MasterKey } from "./master-key.ts";

/** Bytes backed by a plain ArrayBuffer, which is what WebCrypto accepts. */
export type Bytes = Uint8Array<ArrayBuffer>;

export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;

/** One encrypted record as stored. */
export interface Sealed {
  ciphertext: Bytes;
  nonce: Bytes;
  keyVersion: number;
}

const encoder = new TextEncoder();

export async function seal(
  masterKey: MasterKey,
  recordKey: string,
  plaintext: Bytes,
): Promise<Sealed> {
  const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  const encrypted = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv: nonce, additionalData: encoder.encode(recordKey), tagLength: 128 },
    await masterKey.cryptoKey(),
    plaintext,
  );
  return { ciphertext: new Uint8Array(encrypted), nonce, keyVersion: masterKey.version };
}

/** The plaintext, or null when the tag does not verify (wrong key, altered bytes, other record). */
export async function open(
  masterKey: MasterKey,
  recordKey: string,
  sealed: { ciphertext: Bytes; nonce: Bytes },
): Promise<Bytes | null> {
  if (sealed.nonce.length !== NONCE_BYTES || sealed.ciphertext.length < TAG_BYTES) return null;
  try {
    const plain = await crypto.subtle.decrypt(
      {
        name: "AES-GCM",
        iv: sealed.nonce,
        additionalData: encoder.encode(recordKey),
        tagLength: 128,
      },
      await masterKey.cryptoKey(),
      sealed.ciphertext,
    );
    return new Uint8Array(plain);
  } catch {
    // WebCrypto's OperationError says nothing more than "it failed".
    return null;
  }
}
