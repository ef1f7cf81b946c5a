/**
 * The type of an uploaded file from its first bytes. Bun's multipart parser
 * types a file by its name's extension, so the declared type proves nothing:
 * a file that claims to be an image must carry an image signature.
 */
const SIGNATURES: Array<{ type: string; bytes: readonly (number | null)[] }> = [
  { type: "image/png", bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: "image/jpeg", bytes: [0xff, 0xd8, 0xff] },
  { type: "image/gif", bytes: [0x47, 0x49, 0x46, 0x38] },
  {
    type: "image/webp",
    bytes: [0x52, 0x49, 0x46, 0x46, null, null, null, null, 0x57, 0x45, 0x42, 0x50],
  },
  {
    type: "image/avif",
    bytes: [null, null, null, null, 0x66, 0x74, 0x79, 0x70, 0x61, 0x76, 0x69, 0x66],
  },
  { type: "image/bmp", bytes: [0x42, 0x4d] },
  { type: "application/pdf", bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { type: "application/zip", bytes: [0x50, 0x4b, 0x03, 0x04] },
];

export function sniff(head: Uint8Array): string | undefined {
  for (const { type, bytes } of SIGNATURES) {
    if (head.length >= bytes.length && bytes.every((b, i) => b === null || head[i] === b))
      return type;
  }
  return undefined;
}

/**
 * The type to trust: the sniffed one when the bytes say; otherwise the
 * declared one, except that an unproven image claim becomes
 * application/octet-stream (SVG only when the field lists it by name).
 */
export async function effectiveMime(
  file: Blob,
  declared: string,
  allowed: readonly string[] | undefined,
): Promise<string> {
  const head = new Uint8Array(await file.slice(0, 16).arrayBuffer());
  const sniffed = sniff(head);
  if (sniffed) return sniffed;
  if (declared === "image/svg+xml" && allowed?.includes("image/svg+xml")) return declared;
  if (declared.startsWith("image/") || declared === "application/pdf")
    return "application/octet-stream";
  return declared;
}
