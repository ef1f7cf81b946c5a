/**
 * The type of an uploaded file from its first bytes, by `file-type`'s
 * signature table (some 180 binary formats). A client's declared type proves
 * nothing (Bun's multipart parser even types a file by its name): a file that
 * claims to be an image or a PDF must carry that signature.
 */
import { fileTypeFromBuffer } from "file-type";

/** How many leading bytes the signatures need. */
export const SNIFF_BYTES = 4100;

export async function sniff(head: Uint8Array): Promise<string | undefined> {
  return (await fileTypeFromBuffer(head))?.mime;
}

/**
 * The type to trust: the sniffed one when the bytes say; otherwise the
 * declared one, except that an unproven image or PDF claim becomes
 * application/octet-stream (SVG, which has no signature, only when the field
 * lists it by name).
 */
export async function judgeType(
  head: Uint8Array,
  declared: string,
  allowed: readonly string[] | undefined,
): Promise<string> {
  const sniffed = await sniff(head);
  if (sniffed) return sniffed;
  // A claim that is not even a well-formed type is no claim.
  if (!/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(declared))
    return "application/octet-stream";
  if (declared === "image/svg+xml" && allowed?.includes("image/svg+xml")) return declared;
  if (declared.startsWith("image/") || declared === "application/pdf")
    return "application/octet-stream";
  return declared;
}
