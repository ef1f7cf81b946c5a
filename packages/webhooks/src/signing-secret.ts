/** Standard Webhooks secrets: `whsec_` and the base64 of 24 to 64 random bytes. */
const PREFIX = "whsec_";

export function generateSigningSecret(): string {
  return PREFIX + Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64");
}

/** Why `value` is not a usable signing secret, or null. */
export function signingSecretProblem(value: unknown): string | null {
  const message = 'must be "whsec_" followed by the base64 of 24 to 64 bytes';
  if (typeof value !== "string" || !value.startsWith(PREFIX) || value.length > 200) return message;
  const body = value.slice(PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body) || body.length % 4 !== 0) return message;
  const bytes = Buffer.from(body, "base64").length;
  return bytes >= 24 && bytes <= 64 ? null : message;
}
