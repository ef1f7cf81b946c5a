import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import sharp from "sharp";
import { type Harness, startHarness } from "../../test/harness.ts";
import { defineCollection } from "../index.ts";
import { contentDisposition } from "./range-header.ts";

const Docs = defineCollection({
  slug: "docs",
  access: {
    read: () => ({ hidden: { neq: true } }),
    create: () => true,
    update: () => true,
    delete: () => true,
  },
  fields: {
    hidden: { type: "boolean", defaultValue: false },
    secretNote: { type: "text", access: { read: () => false } },
    file: { type: "upload", maxSize: 1024 * 1024 },
    locked: { type: "upload", access: { read: () => false } },
    signed: { type: "upload", signedUrls: true },
    brief: { type: "upload", signedUrls: true, signedUrlExpiry: 1 },
  },
});

let h: Harness;
const bytes = new Uint8Array(100_000);
for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 251;

beforeAll(async () => {
  h = await startHarness({ collections: [Docs] });
});
afterAll(() => h.close());

async function upload(
  fields: Record<string, Uint8Array>,
  payload: Record<string, unknown> = {},
  filename = "report.bin",
) {
  const form = new FormData();
  form.append("_payload", JSON.stringify(payload));
  for (const [name, data] of Object.entries(fields))
    form.append(
      name,
      new Blob([data as Uint8Array<ArrayBuffer>], { type: "application/octet-stream" }),
      filename,
    );
  const res = await h.request("/api/docs", { method: "POST", body: form });
  expect(res.status).toBe(201);
  return res.json();
}

describe("serving files", () => {
  test("a whole file comes with its type, length, a strong ETag, ranges offered and nosniff", async () => {
    const doc = await upload({ file: bytes });
    const res = await h.request(doc.file.url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-length")).toBe(String(bytes.length));
    expect(res.headers.get("accept-ranges")).toBe("bytes");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("etag")).toMatch(/^"[0-9a-f-]{36}"$/);
    expect(res.headers.get("content-disposition")).toStartWith("attachment;");
    expect(Bun.hash(new Uint8Array(await res.arrayBuffer()))).toBe(Bun.hash(bytes));
    const again = await h.request(doc.file.url, {
      headers: { "if-none-match": res.headers.get("etag")! },
    });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
  });

  test("ranges are 206 with Content-Range, a range past the end is 416", async () => {
    const doc = await upload({ file: bytes });
    for (const [header, start, end] of [
      ["bytes=0-0", 0, 0],
      ["bytes=100-199", 100, 199],
      ["bytes=99990-", 99990, 99999],
      ["bytes=-10", 99990, 99999],
      ["bytes=99000-200000", 99000, 99999],
    ] as const) {
      const res = await h.request(doc.file.url, { headers: { range: header } });
      expect(res.status).toBe(206);
      expect(res.headers.get("content-range")).toBe(`bytes ${start}-${end}/${bytes.length}`);
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes.slice(start, end + 1));
    }
    const past = await h.request(doc.file.url, { headers: { range: "bytes=100000-" } });
    expect(past.status).toBe(416);
    expect(past.headers.get("content-range")).toBe(`bytes */${bytes.length}`);
  });

  test("any Range header gives 200, 206 or 416 with exactly the promised bytes", async () => {
    const doc = await upload({ file: bytes.slice(0, 1000) });
    const data = bytes.slice(0, 1000);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 40 }),
          fc
            .tuple(fc.option(fc.nat(1500)), fc.option(fc.nat(1500)))
            .map(([a, b]) => `bytes=${a ?? ""}-${b ?? ""}`),
        ),
        async (range) => {
          const res = await h.request(doc.file.url, { headers: { range } });
          expect([200, 206, 416]).toContain(res.status);
          const body = new Uint8Array(await res.arrayBuffer());
          if (res.status === 200) expect(body).toEqual(data);
          if (res.status === 206) {
            const [, s, e] = /bytes (\d+)-(\d+)\/1000/.exec(res.headers.get("content-range")!)!;
            expect(body).toEqual(data.slice(Number(s), Number(e) + 1));
            expect(res.headers.get("content-length")).toBe(String(body.length));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  test("the file name is safe in Content-Disposition and exact in filename*", async () => {
    expect(contentDisposition("attachment", 'a"b\\c;é\r\n%.txt')).toBe(
      `attachment; filename="a_b_c_____.txt"; filename*=UTF-8''a%22b%5Cc%3B%C3%A9%0D%0A%25.txt`,
    );
    const doc = await upload({ file: bytes.slice(0, 10) }, {}, "résumé;.txt");
    const res = await h.request(doc.file.url);
    expect(res.headers.get("content-disposition")).toBe(
      `attachment; filename="r_sum__.txt"; filename*=UTF-8''r%C3%A9sum%C3%A9%3B.txt`,
    );
  });

  test("an image is shown inline", async () => {
    const png = await sharp({ create: { width: 2, height: 2, channels: 3, background: "red" } })
      .png()
      .toBuffer();
    const doc = await upload({ file: new Uint8Array(png) }, {}, "x.png");
    const res = await h.request(doc.file.url);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("content-disposition")).toStartWith("inline;");
  });

  test("a hidden document's file is a 404, and so is a field the caller may not read", async () => {
    const doc = await upload({ file: bytes.slice(0, 10), locked: bytes.slice(0, 10) });
    expect((await h.request(`/api/docs/${doc.id}/locked`)).status).toBe(404);
    await h.kernel.lucent.update({
      collection: "docs",
      id: doc.id,
      data: { hidden: true },
      overrideAccess: true,
    });
    const res = await h.request(doc.file.url);
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe("NOT_FOUND");
  });

  test("unknown parameters, undeclared sizes and stray signatures are 400s", async () => {
    const doc = await upload({ file: bytes.slice(0, 10) });
    for (const query of ["?x=1", "?size=thumb", "?signature=abc&expires=1", "?size=a&size=b"]) {
      const res = await h.request(`${doc.file.url}${query}`);
      expect(res.status).toBe(400);
    }
  });
});

describe("signed URLs", () => {
  test("a signed field's url works without credentials, even for a hidden document", async () => {
    const doc = await upload({ signed: bytes.slice(0, 50) }, { hidden: true });
    expect(doc.signed.url).toMatch(/\?expires=\d+&signature=[A-Za-z0-9_-]{43}$/);
    const res = await h.request(doc.signed.url);
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes.slice(0, 50));
    expect((await h.request(doc.signed.url.split("?")[0])).status).toBe(404);
  });

  test("an expired signed URL is a 403", async () => {
    const doc = await upload({ brief: bytes.slice(0, 50) });
    expect((await h.request(doc.brief.url)).status).toBe(200);
    await Bun.sleep(2_100); // lifetimes count whole seconds
    const res = await h.request(doc.brief.url);
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe("FORBIDDEN");
  });

  test("a changed signature, expiry or path is a 403; a malformed one a 400", async () => {
    const doc = await upload({ signed: bytes.slice(0, 50) });
    const url = new URL(`http://localhost${doc.signed.url}`);
    const sig = url.searchParams.get("signature")!;
    const exp = Number(url.searchParams.get("expires"));
    const path = url.pathname;
    const flipped = (sig[0] === "A" ? "B" : "A") + sig.slice(1);
    expect((await h.request(`${path}?expires=${exp}&signature=${flipped}`)).status).toBe(403);
    expect((await h.request(`${path}?expires=${exp + 1000}&signature=${sig}`)).status).toBe(403);
    const other = await upload({ signed: bytes.slice(0, 50) });
    expect(
      (await h.request(`/api/docs/${other.id}/signed?expires=${exp}&signature=${sig}`)).status,
    ).toBe(403);
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 60 }), fc.string({ maxLength: 20 }), async (s, e) => {
        const q = new URLSearchParams({ expires: e, signature: s });
        const res = await h.request(`${path}?${q}`);
        expect([400, 403]).toContain(res.status);
      }),
      { numRuns: 100 },
    );
  });
});

describe("stored before the transaction", () => {
  test("a committed write leaves no upload row; a rolled-back one leaves no file and no row", async () => {
    const rows = async () =>
      Number(
        (
          await h.kernel.ctx.db.execute<{ n: string }>(
            sql`select count(*) as n from lucent_uploads`,
          )
        )[0]!.n,
      );
    const before = await rows();
    await upload({ file: bytes.slice(0, 10) });
    expect(await rows()).toBe(before);
    const form = new FormData();
    form.append("_payload", JSON.stringify({ nope: 1 }));
    form.append("file", new Blob([bytes.slice(0, 10)]), "x.bin");
    const res = await h.request("/api/docs", { method: "POST", body: form });
    expect(res.status).toBe(400);
    expect(await rows()).toBe(before);
  });

  test("the Local API's Blob files are stored the same way", async () => {
    const doc = await h.kernel.lucent.create({
      collection: "docs",
      data: {},
      files: { file: new File([bytes.slice(0, 30)], "local.bin") },
      overrideAccess: true,
    });
    const file = doc.file as { key: string; size: number };
    expect(file.size).toBe(30);
    expect((await h.kernel.ctx.storage.head(file.key))?.size).toBe(30);
  });
});
