/** The demo's `posts.cover` (CONTRACT §14): images up to 5 MB, a 320×320 webp `thumb`. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import sharp from "sharp";
import { startDemo, TEST_USER, type TestApp } from "./helpers.ts";

let app: TestApp;
beforeAll(async () => {
  app = await startDemo();
});
afterAll(() => app.close());

async function postWithCover(status: "draft" | "published", bytes: Uint8Array, name = "c.png") {
  const form = new FormData();
  form.append("_payload", JSON.stringify({ title: `cover ${status}`, status }));
  form.append("cover", new Blob([bytes as Uint8Array<ArrayBuffer>]), name);
  return app.fetch("/api/posts", { method: "POST", body: form });
}

const photo = async () =>
  new Uint8Array(
    await sharp({ create: { width: 800, height: 600, channels: 3, background: "teal" } })
      .jpeg()
      .toBuffer(),
  );

describe("posts.cover", () => {
  test("takes an image and serves its 320×320 webp thumb, made once", async () => {
    const res = await postWithCover("published", await photo());
    expect(res.status).toBe(201);
    const post = await res.json();
    expect(post.cover.mimeType).toBe("image/jpeg");
    const made = app.kernel.engine.uploads.images.made;
    const thumb = await app.fetch(`${post.cover.url}?size=thumb`, { headers: { [TEST_USER]: "" } });
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get("content-type")).toBe("image/webp");
    const meta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([320, 320]);
    await app.fetch(`${post.cover.url}?size=thumb`);
    expect(app.kernel.engine.uploads.images.made).toBe(made + 1);
  });

  test("refuses a file that is not an image, whatever its name", async () => {
    const res = await postWithCover(
      "published",
      new TextEncoder().encode("<html></html>"),
      "x.png",
    );
    expect(res.status).toBe(400);
  });

  test("a draft's cover is a 404 for everyone who may not read the draft", async () => {
    const post = await (await postWithCover("draft", await photo())).json();
    expect((await app.fetch(post.cover.url)).status).toBe(200);
    expect((await app.fetch(post.cover.url, { headers: { [TEST_USER]: "" } })).status).toBe(404);
  });
});
