/**
 * Request bodies read under a byte limit that holds while they stream
 * (CONTRACT §13): a declared Content-Length above the limit is refused before
 * a byte is read, and a body that grows past it (chunked, or longer than it
 * said) is refused the moment it does. Nothing past the limit is ever held.
 *
 * Routes that take a body use these with `parse: "none"`, so that Elysia does
 * not read the body whole before the route sees it.
 */
import { LucentError } from "./errors.ts";

export function payloadTooLarge(limit: number): LucentError {
  return new LucentError("PAYLOAD_TOO_LARGE", `the request body is larger than ${limit} bytes`);
}

function declaredLength(request: Request): number | undefined {
  const raw = request.headers.get("content-length");
  return raw && /^\d+$/.test(raw) ? Number(raw) : undefined;
}

/** The body's bytes, at most `limit` of them; a 413 LucentError past that. */
export async function readBodyBytes(
  request: Request,
  limit: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const length = declaredLength(request);
  if (length !== undefined && length > limit) throw payloadTooLarge(limit);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // The rest of the body is never pulled: the 413 goes out now.
      reader.cancel().catch(() => {});
      throw payloadTooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

/** The body as UTF-8 text, at most `limit` bytes of it; a 413 LucentError past that. */
export async function readBodyText(request: Request, limit: number): Promise<string> {
  return new TextDecoder().decode(await readBodyBytes(request, limit));
}
