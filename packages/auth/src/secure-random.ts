/** Random tokens, their stored hashes, and constant-time comparison. */
import { hmac } from "@oslojs/crypto/hmac";
import { SHA256, sha256 } from "@oslojs/crypto/sha2";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";

/** A token of `bytes` random bytes (default 32: 256 bits), base32 so it survives URLs and mail clients. */
export function randomToken(bytes = 32): string {
  return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(bytes)));
}

/**
 * What the database keeps of a token. A fast hash is right here: the tokens
 * carry 256 bits of entropy, so there is nothing to brute-force, and the
 * lookup by hash never compares a secret byte by byte in our code.
 */
export function hashToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/**
 * A keyed hash (HMAC-SHA256): what sessions are stored as, keyed with
 * SESSION_SECRET, so someone who can write the table still cannot mint a
 * session without the secret as well.
 */
export function keyedHash(key: Uint8Array, token: string): string {
  return encodeHexLowerCase(hmac(SHA256, key, new TextEncoder().encode(token)));
}

/** Compares two strings without leaking where they differ. */
export function safeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  return x.length === y.length && constantTimeEqual(x, y);
}
