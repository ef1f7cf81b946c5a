import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import sharp from "sharp";
import { type Harness, startHarness } from "../../test/harness.ts";
import { defineCollection } from "../index.ts";

const Pics = defineCollection({
  slug: "pics",
  access: { create: () => true, update: () => true, delete: () => true },
  fields: {
    image: {
      type: "upload",
      mimeTypes: ["image/*"],
      maxSize: 5 * 1024 * 1024,
      imageSizes: {
        thumb: { width: 32, height: 32, format: "webp" },
        wide: { width: 64, fit: "inside", format: "png" },
      },
    },
  },
});

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ collections: [Pics] });
});
afterAll(() => h.close());

async function create(bytes: Uint8Array) {
  const form = new FormData();
  form.append(
    "image",
    new Blob([bytes as Uint8Array<ArrayBuffer>], { type: "image/png" }),
    "p.png",
  );
  const res = await h.request("/api/pics", { method: "POST", body: form });
  expect(res.status).toBe(201);
  return res.json();
}

const picture = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 90 } } })
    .png()
    .toBuffer()
    .then((b) => new Uint8Array(b));

describe("image sizes", () => {
  test("a declared size is made with its box and format, stored, and served from storage the second time", async () => {
    const doc = await create(await picture(200, 100));
    const made = h.kernel.engine.uploads.images.made;
    const first = await h.request(`${doc.image.url}?size=thumb`);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("image/webp");
    const meta = await sharp(Buffer.from(await first.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["webp", 32, 32]);
    expect(h.kernel.engine.uploads.images.made).toBe(made + 1);
    expect(await h.kernel.ctx.storage.head(`${doc.image.key}.thumb`)).not.toBeNull();
    const second = await h.request(`${doc.image.url}?size=thumb`);
    expect(second.status).toBe(200);
    expect(h.kernel.engine.uploads.images.made).toBe(made + 1);
    const wide = await sharp(
      Buffer.from(await (await h.request(`${doc.image.url}?size=wide`)).arrayBuffer()),
    ).metadata();
    expect([wide.format, wide.width, wide.height]).toEqual(["png", 64, 32]);
  });

  test("requests at once for a new size make it once", async () => {
    const doc = await create(await picture(120, 120));
    const made = h.kernel.engine.uploads.images.made;
    const all = await Promise.all(
      Array.from({ length: 6 }, () => h.request(`${doc.image.url}?size=thumb`)),
    );
    expect(all.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(h.kernel.engine.uploads.images.made).toBe(made + 1);
  });

  test("a size that was not declared is a 400", async () => {
    const doc = await create(await picture(10, 10));
    const res = await h.request(`${doc.image.url}?size=huge`);
    expect(res.status).toBe(400);
    expect((await res.json()).error.details[0].path).toBe("size");
  });

  test("a 50-megapixel image is refused before it is decoded, within the memory bound", async () => {
    const doc = await create(await picture(10_000, 5_000));
    Bun.gc(true);
    const before = process.memoryUsage.rss();
    let peak = before;
    const timer = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage.rss());
    }, 5);
    const res = await h.request(`${doc.image.url}?size=thumb`);
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage.rss());
    expect(res.status).toBe(400);
    expect((await res.json()).error.details[0].message).toContain("pixels");
    expect(peak - before).toBeLessThan(64 * 1024 * 1024);
    expect(await h.kernel.ctx.storage.head(`${doc.image.key}.thumb`)).toBeNull();
  });

  test("deleting the document removes its stored sizes", async () => {
    const doc = await create(await picture(50, 50));
    await h.request(`${doc.image.url}?size=thumb`);
    expect(await h.kernel.ctx.storage.head(`${doc.image.key}.thumb`)).not.toBeNull();
    expect((await h.request(`/api/pics/${doc.id}`, { method: "DELETE" })).status).toBe(200);
    expect(await h.kernel.ctx.storage.head(`${doc.image.key}.thumb`)).toBeNull();
    expect(await h.kernel.ctx.storage.head(doc.image.key)).toBeNull();
  });
});
