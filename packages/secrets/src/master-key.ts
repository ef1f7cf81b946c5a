/**
 * Master keys: exactly 32 bytes, given as base64 (standard or URL-safe) or
 * hex, refused at startup when malformed or plainly not random.
 */
import {
  decodeBase64IgnorePadding,
  decodeBase64urlIgnorePadding,
  decodeHex,
  encodeBase64,
} from "@oslojs/encoding";
import { InvalidMasterKeyError } from "./errors.ts";
import { redacted } from "./redact.ts";

export const MASTER_KEY_BYTES = 32;

/** What a master key may be given as: an encoded string, or the raw bytes. */
export type MasterKeyInput = string | Uint8Array;

/** 32 random bytes, base64: what `lucent secrets generate-key` prints. */
export function generateMasterKey(): string {
  return encodeBase64(crypto.getRandomValues(new Uint8Array(MASTER_KEY_BYTES)));
}

const HEX = /^[0-9a-fA-F]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]{43}=?$/;
const BASE64URL = /^[A-Za-z0-9_-]{43}=?$/;
const BASE64_ANY_LENGTH = /^[A-Za-z0-9+/_-]+={0,2}$/;
const GENERATE_HINT = "generate one with `lucent secrets generate-key`";

type Checked = { bytes: Uint8Array<ArrayBuffer> } | { problem: string };

/** Copies into a plain ArrayBuffer for WebCrypto and wipes the decoder's buffer. */
function own(decoded: Uint8Array): Checked {
  const bytes = new Uint8Array(decoded);
  decoded.fill(0);
  return { bytes };
}

function decode(input: MasterKeyInput): Checked {
  if (input instanceof Uint8Array) {
    if (input.length !== MASTER_KEY_BYTES) {
      return { problem: `must be exactly ${MASTER_KEY_BYTES} bytes, got ${input.length}` };
    }
    return { bytes: new Uint8Array(input) };
  }
  if (typeof input !== "string") return { problem: "must be a string (base64 or hex)" };
  const text = input.trim();
  if (text === "") return { problem: `is empty; ${GENERATE_HINT}` };
  // Hex first: 64 hex digits are also valid base64, of the wrong length.
  if (HEX.test(text)) return own(decodeHex(text));
  if (BASE64.test(text)) return own(decodeBase64IgnorePadding(text.replace(/=$/, "")));
  if (BASE64URL.test(text)) return own(decodeBase64urlIgnorePadding(text.replace(/=$/, "")));
  if (BASE64_ANY_LENGTH.test(text)) {
    const length = Math.floor((text.replace(/=+$/, "").length * 3) / 4);
    return {
      problem: `must decode to exactly ${MASTER_KEY_BYTES} bytes (44 base64 or 64 hex characters), this one decodes to ${length}; ${GENERATE_HINT}`,
    };
  }
  return { problem: `must be ${MASTER_KEY_BYTES} bytes as base64 or hex; ${GENERATE_HINT}` };
}

/** Reasons a well-formed key is still not random enough to trust. */
function weakness(bytes: Uint8Array): string | undefined {
  const distinct = new Set(bytes).size;
  // 32 random bytes show about 30 distinct values; fewer than 16 happens with odds near 1e-13.
  if (distinct < 16)
    return `is weak: only ${distinct} distinct byte value${distinct === 1 ? "" : "s"}, not random bytes`;
  const step = (bytes[1]! - bytes[0]! + 256) % 256;
  if (bytes.every((b, i) => i === 0 || (b - bytes[i - 1]! + 256) % 256 === step)) {
    return "is weak: its bytes form a simple sequence, not random bytes";
  }
  // Random bytes are all printable with odds near 1e-14: this is an encoded password.
  if (bytes.every((b) => b >= 0x20 && b <= 0x7e)) {
    return "is weak: it decodes to printable text (a password?), not random bytes";
  }
  return undefined;
}

function check(input: MasterKeyInput): Checked {
  const decoded = decode(input);
  if ("problem" in decoded) return decoded;
  const weak = weakness(decoded.bytes);
  if (!weak) return decoded;
  decoded.bytes.fill(0);
  return { problem: `${weak}; ${GENERATE_HINT}` };
}

/**
 * What is wrong with a master key, as a sentence to follow the name of the
 * option or variable that holds it; undefined when the key is usable.
 */
export function masterKeyProblem(input: MasterKeyInput): string | undefined {
  const checked = check(input);
  if ("problem" in checked) return checked.problem;
  checked.bytes.fill(0);
  return undefined;
}

/**
 * A validated master key as a non-extractable WebCrypto AES-256-GCM key.
 * The raw bytes are dropped once imported.
 */
export class MasterKey {
  readonly version: number;
  readonly #key: Promise<CryptoKey>;

  private constructor(version: number, bytes: Uint8Array<ArrayBuffer>) {
    this.version = version;
    this.#key = crypto.subtle
      .importKey("raw", bytes, { name: "AES-GCM" }, false, ["encrypt", "decrypt"])
      .finally(() => bytes.fill(0));
    redacted(this, () => `MasterKey(version ${version}, redacted)`);
  }

  /** Validates and imports a key; throws InvalidMasterKeyError naming `label`. */
  static parse(input: MasterKeyInput, version: number, label: string): MasterKey {
    const checked = check(input);
    if ("problem" in checked) throw new InvalidMasterKeyError([`${label} ${checked.problem}`]);
    return new MasterKey(version, checked.bytes);
  }

  /** The WebCrypto key; only the cipher needs it. */
  cryptoKey(): Promise<CryptoKey> {
    return this.#key;
  }
}
