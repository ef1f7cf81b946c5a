/**
 * A mail goes to one mailbox. SMTP libraries read a `to` as an address list:
 * `a@x.com, b@y.com` mails both, and `a@x.com\r\nBcc: b@y.com` becomes a
 * group that mails b@y.com alone. A reset link must reach the one address it
 * was written for, so every transport refuses a `to` that is not plainly one
 * address (`ada@example.com` or `Ada <ada@example.com>`) before sending.
 */
import { LucentError } from "../http/errors.ts";

// No space, list, group, comment, quote or bracket characters on either side of the @.
const ADDRESS = String.raw`[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+`;
const MAILBOX = new RegExp(String.raw`^(?:${ADDRESS}|[^<>()[\]\\,;:"@\r\n]*<${ADDRESS}>)$`, "u");

/** Throws a VALIDATION_ERROR unless `to` is exactly one mailbox. */
export function assertOneMailbox(to: string): void {
  if (MAILBOX.test(to.trim())) return;
  throw new LucentError("VALIDATION_ERROR", "mail: `to` must be one address", {
    details: [{ path: "to", message: "must be one address, such as ada@example.com" }],
  });
}
