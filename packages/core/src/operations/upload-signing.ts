/**
 * Signed file URLs (CONTRACT §11): `<path>?expires=<unix seconds>&signature=<HMAC-SHA256>`
 * over the path and the expiry. The signature grants reading that field's
 * file (and its declared sizes) until `expires`; after that the URL is a 403.
 */
import { ForbiddenError, ValidationError } from "../http/errors.ts";

export interface UrlSigner {
  /** `path` with `expires` and `signature` appended. */
  sign(path: string, expiresIn: number): Promise<string>;
  /**
   * Checks `expires` and `signature` from a URL's query: "absent" when
   * neither is there, "ok" when valid; throws 403 when expired or wrong, 400
   * when malformed.
   */
  verify(path: string, query: URLSearchParams): Promise<"ok" | "absent">;
}

const encoder = new TextEncoder();

export function createUrlSigner(secret: () => Promise<string>, now = () => Date.now()): UrlSigner {
  let key: Promise<CryptoKey> | undefined;
  const hmacKey = () => {
    // A key of its own, derived from the secret: a signature here is never a valid session or token MAC.
    key ??= secret().then(async (s) => {
      const base = await crypto.subtle.importKey(
        "raw",
        encoder.encode(s),
        { name: "HMAC", hash: "SHA-256" },
        false,
        ["sign"],
      );
      const derived = await crypto.subtle.sign(
        "HMAC",
        base,
        encoder.encode("lucent upload urls v1"),
      );
      return crypto.subtle.importKey("raw", derived, { name: "HMAC", hash: "SHA-256" }, false, [
        "sign",
        "verify",
      ]);
    });
    return key;
  };
  const message = (path: string, expires: number) => encoder.encode(`${path}\n${expires}`);
  return {
    async sign(path, expiresIn) {
      const expires = Math.floor(now() / 1000) + expiresIn;
      const mac = await crypto.subtle.sign("HMAC", await hmacKey(), message(path, expires));
      return `${path}?expires=${expires}&signature=${Buffer.from(mac).toString("base64url")}`;
    },
    async verify(path, query) {
      const expires = query.getAll("expires");
      const signature = query.getAll("signature");
      if (expires.length === 0 && signature.length === 0) return "absent";
      if (
        expires.length !== 1 ||
        signature.length !== 1 ||
        !/^\d{1,12}$/.test(expires[0]!) ||
        !/^[A-Za-z0-9_-]{43}$/.test(signature[0]!)
      )
        throw new ValidationError([{ path: "signature", message: "malformed signed URL" }]);
      const at = Number(expires[0]);
      const valid = await crypto.subtle.verify(
        "HMAC",
        await hmacKey(),
        Buffer.from(signature[0]!, "base64url"),
        message(path, at),
      );
      if (!valid) throw new ForbiddenError("the signature of this URL is not valid");
      if (at * 1000 <= now()) throw new ForbiddenError("this signed URL has expired");
      return "ok";
    },
  };
}
