import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { LucentError } from "./errors.ts";
import { multipartBoundary, multipartParts } from "./multipart-stream.ts";

/** Bun's own multipart encoding of a FormData, and its Content-Type. */
async function encode(form: FormData): Promise<{ bytes: Uint8Array; type: string }> {
  const res = new Response(form);
  // Read before the body: Bun's header can differ once the body was consumed.
  const type = res.headers.get("content-type")!;
  return { bytes: new Uint8Array(await res.arrayBuffer()), type };
}

/** `bytes` as a stream cut into the given chunk sizes (cycled). */
function chunked(bytes: Uint8Array, sizes: number[]): ReadableStream<Uint8Array> {
  let at = 0;
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      const size = Math.max(1, sizes[i++ % sizes.length]!);
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>, boundary: string) {
  const out: Array<{ name: string; filename?: string; type?: string; bytes: Uint8Array }> = [];
  for await (const part of multipartParts(stream, boundary)) {
    out.push({
      name: part.name,
      ...(part.filename !== undefined ? { filename: part.filename } : {}),
      ...(part.contentType ? { type: part.contentType } : {}),
      bytes: await Bun.readableStreamToBytes(part.body),
    });
  }
  return out;
}

describe("multipart stream", () => {
  test("reads what FormData wrote, whatever the chunking, bytes that look like boundaries included", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            name: fc.stringMatching(/^[a-z_][a-z0-9_]{0,10}$/),
            file: fc.boolean(),
            bytes: fc.uint8Array({ maxLength: 3000 }),
          }),
          { maxLength: 5 },
        ),
        fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 8 }),
        async (parts, sizes) => {
          const form = new FormData();
          for (const p of parts) {
            if (p.file)
              form.append(p.name, new Blob([p.bytes as Uint8Array<ArrayBuffer>]), "f.bin");
            else form.append(p.name, "v".repeat(p.bytes.length % 50));
          }
          const { bytes, type } = await encode(form);
          const got = await collect(chunked(bytes, sizes), multipartBoundary(type));
          expect(got.map((g) => g.name)).toEqual(parts.map((p) => p.name));
          for (const [i, p] of parts.entries()) {
            expect(got[i]!.bytes).toEqual(
              p.file ? p.bytes : new TextEncoder().encode("v".repeat(p.bytes.length % 50)),
            );
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  test("a file's body holding the delimiter's prefix is passed through", async () => {
    const form = new FormData();
    const { type } = await encode(form);
    const boundary = multipartBoundary(type);
    const tricky = new TextEncoder().encode(`a\r\n--${boundary.slice(0, -1)}b\r\n-`);
    const f2 = new FormData();
    f2.append("image", new Blob([tricky]), "x.bin");
    const enc = await encode(f2);
    const got = await collect(chunked(enc.bytes, [3]), multipartBoundary(enc.type));
    expect(got[0]!.bytes).toEqual(tricky);
  });

  test("random or truncated bodies are 400s, never another error", async () => {
    const form = new FormData();
    form.append("_payload", '{"a":1}');
    form.append("image", new Blob([new Uint8Array(500).fill(65)]), "a.png");
    const { bytes, type } = await encode(form);
    const boundary = multipartBoundary(type);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 2000 }),
          fc.integer({ min: 0, max: bytes.length - 1 }).map((n) => bytes.slice(0, n)),
          fc
            .tuple(fc.integer({ min: 0, max: bytes.length - 1 }), fc.integer({ min: 0, max: 255 }))
            .map(([at, v]) => {
              const copy = bytes.slice();
              copy[at] = v;
              return copy;
            }),
        ),
        async (input) => {
          try {
            await collect(chunked(input, [97]), boundary);
          } catch (error) {
            expect(error).toBeInstanceOf(LucentError);
            expect((error as LucentError).status).toBe(400);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  test("a missing or invalid boundary is a 400", () => {
    for (const type of [
      "multipart/form-data",
      "multipart/form-data; boundary=",
      `multipart/form-data; boundary=${"x".repeat(71)}`,
    ]) {
      expect(() => multipartBoundary(type)).toThrow(LucentError);
    }
    expect(multipartBoundary('multipart/form-data; boundary="a b"')).toBe("a b");
  });

  test("an RFC 5987 filename* is decoded", async () => {
    const body = `--b\r\ncontent-disposition: form-data; name="f"; filename="x"; filename*=UTF-8''caf%C3%A9.png\r\ncontent-type: image/PNG\r\n\r\nhi\r\n--b--\r\n`;
    const got = await collect(chunked(new TextEncoder().encode(body), [5]), "b");
    expect(got).toEqual([
      { name: "f", filename: "café.png", type: "image/png", bytes: new TextEncoder().encode("hi") },
    ]);
  });
});
