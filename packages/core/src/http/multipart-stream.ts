/**
 * A streaming `multipart/form-data` reader: parts come one at a time, each
 * file part's body as a stream read straight from the request, so a request
 * never holds a whole file (CONTRACT §11). A part's body must be read (or is
 * skipped) before the next part is looked for; only the bytes that might
 * start a boundary are held back between chunks.
 */
import { ValidationError } from "./errors.ts";

export interface MultipartPart {
  /** The form field's name. */
  name: string;
  /** Present on file parts (possibly empty). */
  filename?: string;
  /** The part's declared Content-Type, lower-case, without parameters. */
  contentType?: string;
  /** The part's bytes; read it whole or cancel it before asking for the next part. */
  body: ReadableStream<Uint8Array>;
}

const MAX_HEADER_BYTES = 16 * 1024;
const CRLF = Buffer.from("\r\n");
const HEADER_END = Buffer.from("\r\n\r\n");

export function malformed(message = "malformed multipart body"): ValidationError {
  return new ValidationError([{ path: "", message }], "the body could not be parsed");
}

/** The boundary of a `multipart/form-data` Content-Type (RFC 2046: 1–70 characters). */
export function multipartBoundary(contentType: string): string {
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))\s*(?:;|$)/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary || !/^[0-9A-Za-z'()+_,\-./:=? ]+$/.test(boundary) || boundary.endsWith(" "))
    throw malformed("the multipart boundary is missing or invalid");
  return boundary;
}

/** `name`, `filename` (and RFC 5987 `filename*`) of a Content-Disposition. */
function disposition(value: string): { name: string; filename?: string } {
  if (!/^form-data\s*(;|$)/i.test(value)) throw malformed("a part is not form-data");
  const params = new Map<string, string>();
  const re = /;\s*([A-Za-z*]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/g;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    params.set(m[1]!.toLowerCase(), m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : m[3]!);
  }
  const name = params.get("name");
  if (name === undefined || name === "") throw malformed("a part has no name");
  let filename = params.get("filename");
  const extended = params.get("filename*");
  if (extended) {
    const m = /^utf-8''(.*)$/i.exec(extended);
    try {
      if (m) filename = decodeURIComponent(m[1]!);
    } catch {
      throw malformed("a part's filename* is not valid UTF-8");
    }
  }
  return filename === undefined ? { name } : { name, filename };
}

function partHeaders(raw: Buffer): Omit<MultipartPart, "body"> {
  let disp: string | undefined;
  let type: string | undefined;
  for (const line of raw.toString("utf8").split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon <= 0) throw malformed("a part header is malformed");
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === "content-disposition") disp = value;
    else if (key === "content-type") type = value.split(";")[0]!.trim().toLowerCase();
  }
  if (!disp) throw malformed("a part has no Content-Disposition");
  const { name, filename } = disposition(disp);
  return {
    name,
    ...(filename !== undefined ? { filename } : {}),
    ...(type ? { contentType: type } : {}),
  };
}

/**
 * Parts of a multipart body, in order. Malformed input (no boundary, a part
 * without a name, headers past 16 KiB, a body that ends early, more than
 * `maxParts` parts) is a 400 `ValidationError`.
 */
export async function* multipartParts(
  body: ReadableStream<Uint8Array>,
  boundary: string,
  options: { maxParts?: number } = {},
): AsyncGenerator<MultipartPart> {
  const maxParts = options.maxParts ?? 1000;
  const reader = body.getReader();
  // The body's first boundary has no CRLF before it: pretend it had one, so every
  // boundary is the same delimiter.
  let buffer: Buffer = Buffer.from(CRLF);
  let ended = false;
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const more = async (): Promise<boolean> => {
    if (ended) return false;
    const { done, value } = await reader.read();
    if (done) {
      ended = true;
      return false;
    }
    // A view, not a copy, when nothing is left over: bulk bytes are never copied here.
    const view = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    buffer = buffer.length ? Buffer.concat([buffer, view]) : view;
    return true;
  };
  const find = async (needle: Buffer, limit: number): Promise<number> => {
    for (;;) {
      const at = buffer.indexOf(needle);
      if (at !== -1) return at;
      if (buffer.length > limit) throw malformed("a multipart header is too long");
      if (!(await more())) throw malformed("the multipart body ended early");
    }
  };

  try {
    // The preamble, up to the first boundary, is ignored.
    for (;;) {
      const at = buffer.indexOf(delimiter);
      if (at !== -1) {
        buffer = buffer.subarray(at + delimiter.length);
        break;
      }
      buffer = buffer.subarray(Math.max(0, buffer.length - delimiter.length));
      if (!(await more())) throw malformed("the multipart body has no boundary");
    }
    for (let count = 0; ; count++) {
      while (buffer.length < 2)
        if (!(await more())) throw malformed("the multipart body ended early");
      if (buffer[0] === 0x2d && buffer[1] === 0x2d) return; // "--": the closing boundary
      // Transport padding, then the CRLF that ends the boundary line.
      const lineEnd = await find(CRLF, 1024);
      if (buffer.subarray(0, lineEnd).toString("latin1").trim() !== "")
        throw malformed("a multipart boundary line is malformed");
      buffer = buffer.subarray(lineEnd + 2);
      if (count >= maxParts) throw malformed(`more than ${maxParts} parts`);
      const headerEnd = buffer.subarray(0, 2).equals(CRLF)
        ? -2
        : await find(HEADER_END, MAX_HEADER_BYTES);
      const head = partHeaders(headerEnd === -2 ? Buffer.alloc(0) : buffer.subarray(0, headerEnd));
      buffer = buffer.subarray(headerEnd === -2 ? 2 : headerEnd + 4);
      let done = false;
      let failure: unknown;
      const partBody = new ReadableStream<Uint8Array>(
        {
          async pull(controller) {
            try {
              for (;;) {
                const at = buffer.indexOf(delimiter);
                if (at !== -1) {
                  if (at > 0) controller.enqueue(buffer.subarray(0, at));
                  buffer = buffer.subarray(at + delimiter.length);
                  done = true;
                  controller.close();
                  return;
                }
                // Everything but a tail that could be the start of the delimiter is this part's.
                const safe = buffer.length - (delimiter.length - 1);
                if (safe > 0) {
                  controller.enqueue(buffer.subarray(0, safe));
                  buffer = buffer.subarray(safe);
                  return;
                }
                if (!(await more())) throw malformed("the multipart body ended inside a part");
              }
            } catch (error) {
              failure = error;
              controller.error(error);
            }
          },
        },
        { highWaterMark: 0 },
      );
      yield { ...head, body: partBody };
      if (failure) throw failure;
      // A part its reader left unread is skipped, so the next one can be found.
      if (!done) {
        if (partBody.locked) throw malformed("a part was left half-read");
        const rest = partBody.getReader();
        while (!(await rest.read()).done) {}
        if (failure) throw failure;
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}
