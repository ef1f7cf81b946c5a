/** Short-lived access tokens: HS256 JWTs (jose), nothing else accepted. */
import { jwtVerify, SignJWT } from "jose";

const ISSUER = "lucent";
const TYPE = "access";

export interface AccessClaims {
  /** The user id. */
  sub: string;
  /** The auth collection's slug. */
  col: string;
  /** The refresh family the token was issued with; revoking the family ends the token too. */
  fid: string;
}

/** The signing key: the secret's UTF-8 bytes. */
export function jwtKey(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

export function signAccessToken(input: {
  key: Uint8Array;
  claims: AccessClaims;
  ttlSeconds: number;
}): Promise<string> {
  const { sub, col, fid } = input.claims;
  return (
    new SignJWT({ col, fid, typ: TYPE })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(sub)
      // A unique id: two tokens issued in the same second for the same family still differ.
      .setJti(Bun.randomUUIDv7())
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(`${input.ttlSeconds}s`)
      .sign(input.key)
  );
}

/**
 * The claims of a valid token, or null. The algorithm list is pinned so a
 * token cannot choose `none` or an asymmetric algorithm for itself.
 */
export async function verifyAccessToken(input: {
  key: Uint8Array;
  token: string;
}): Promise<AccessClaims | null> {
  try {
    const { payload } = await jwtVerify(input.token, input.key, {
      algorithms: ["HS256"],
      issuer: ISSUER,
    });
    const { sub, col, fid, typ } = payload;
    if (
      typ !== TYPE ||
      typeof sub !== "string" ||
      typeof col !== "string" ||
      typeof fid !== "string"
    )
      return null;
    return { sub, col, fid };
  } catch {
    return null;
  }
}
