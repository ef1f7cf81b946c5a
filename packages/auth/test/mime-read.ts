/**
 * Reads a mail as it came off the wire, enough for tests to see what its
 * reader would: headers (RFC 2047 words decoded), the text and the html
 * alternative, in 7bit, 8bit, quoted-printable or base64.
 */

export interface ReadMail {
  /** Header values by lower-case name (the first of each), decoded. */
  headers: Map<string, string>;
  /** Every header name, lower-case, in order. */
  headerNames: string[];
  text: string;
  html?: string;
}

const decoder = new TextDecoder();

function quotedPrintableBytes(body: string): Uint8Array {
  const soft = body.replace(/=\r?\n/g, "");
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3);
    if (soft[i] === "=" && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...new TextEncoder().encode(soft[i]));
    }
  }
  return new Uint8Array(bytes);
}

/** `=?UTF-8?Q?Gr=C3=BC=C3=9Fe?=` words; whitespace between two words is not part of the text. */
function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[QB]\?[^?]*\?=)\s+(?==\?)/gi, "$1")
    .replace(/=\?[^?]+\?([QB])\?([^?]*)\?=/gi, (_, encoding: string, data: string) =>
      encoding.toUpperCase() === "B"
        ? decoder.decode(Buffer.from(data, "base64"))
        : decoder.decode(quotedPrintableBytes(data.replace(/_/g, " "))),
    );
}

function splitHead(raw: string): { head: Array<[string, string]>; body: string } {
  const split = raw.search(/\r?\n\r?\n/);
  const headText = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? "" : raw.slice(split).replace(/^\r?\n\r?\n/, "");
  const head = headText
    .replace(/\r?\n[ \t]+/g, " ")
    .split(/\r?\n/)
    .filter((line) => line.includes(":"))
    .map((line): [string, string] => {
      const colon = line.indexOf(":");
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
    });
  return { head, body };
}

function decodeBody(body: string, transferEncoding: string): string {
  if (/quoted-printable/i.test(transferEncoding)) return decoder.decode(quotedPrintableBytes(body));
  if (/base64/i.test(transferEncoding)) return decoder.decode(Buffer.from(body, "base64"));
  return body;
}

/** The text/plain and text/html leaves of a (possibly multipart) entity. */
function leaves(head: Map<string, string>, body: string): { text?: string; html?: string } {
  const type = head.get("content-type") ?? "text/plain";
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    const found: { text?: string; html?: string } = {};
    const parts = body.split(`--${boundary}`).slice(1);
    for (const part of parts) {
      if (part.startsWith("--")) break;
      const { head: partHead, body: partBody } = splitHead(part.replace(/^\r?\n/, ""));
      // The line break before a boundary belongs to the boundary.
      const inner = leaves(new Map(partHead), partBody.replace(/\r?\n$/, ""));
      found.text ??= inner.text;
      found.html ??= inner.html;
    }
    return found;
  }
  const decoded = decodeBody(body, head.get("content-transfer-encoding") ?? "");
  return /^text\/html/i.test(type) ? { html: decoded } : { text: decoded };
}

export function readMail(raw: string): ReadMail {
  const { head, body } = splitHead(raw);
  const headers = new Map<string, string>();
  for (const [name, value] of head) if (!headers.has(name)) headers.set(name, decodeWords(value));
  const { text, html } = leaves(new Map(head), body);
  return {
    headers,
    headerNames: head.map(([name]) => name),
    text: text ?? "",
    ...(html === undefined ? {} : { html }),
  };
}
