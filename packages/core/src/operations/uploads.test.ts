import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import sharp from "sharp";
import { type Harness, startHarness } from "../../test/harness.ts";
import { defineCollection } from "../index.ts";

const Photos = defineCollection({
  slug: "photos",
  access: { create: () => true, update: () => true, delete: () => true },
  fields: {
    caption: { type: "text", required: true },
    rank: { type: "integer" },
    image: { type: "upload", mimeTypes: ["image/*"], maxSize: 1024 },
  },
});

let h: Harness;
let app: Harness["app"];

beforeAll(async () => {
  h = await startHarness({ collections: [Photos] });
  ({ app } = h);
});

afterAll(() => h.close());

/** A real PNG of noise (noise does not compress: the side sets the size). */
const png = async (side = 4) => {
  const pixels = new Uint8Array(side * side * 3);
  crypto.getRandomValues(pixels);
  return new Uint8Array(
    await sharp(pixels, { raw: { width: side, height: side, channels: 3 } })
      .png()
      .toBuffer(),
  );
};
const storedFiles = async () =>
  (await readdir(join(h.dir, "uploads", "photos")).catch(() => [])).length;

function form(fields: Record<string, string | Blob>, filename = "../../etc/passwd.png"): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === "string") data.append(name, value);
    else data.append(name, value, filename);
  }
  return data;
}

const send = (method: string, path: string, body: FormData) =>
  app.handle(new Request(`http://localhost${path}`, { method, body }));

describe("uploads", () => {
  test("a multipart create stores the file under a generated key and keeps the name as metadata", async () => {
    const image = await png();
    const res = await send(
      "POST",
      "/api/photos",
      form({
        _payload: JSON.stringify({ caption: "sea" }),
        image: new Blob([image], { type: "image/png" }),
      }),
    );
    expect(res.status).toBe(201);
    const doc = await res.json();
    expect(doc.image).toEqual({
      key: expect.stringMatching(/^photos\/[0-9a-f-]{36}$/),
      filename: "passwd.png",
      mimeType: "image/png",
      size: image.length,
      url: `/api/photos/${doc.id}/image`,
    });
    const file = await app.handle(new Request(`http://localhost${doc.image.url}`));
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(image);
  });

  test("plain text form fields are read with their field's type", async () => {
    const res = await send("POST", "/api/photos", form({ caption: "hill", rank: "3" }));
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ caption: "hill", rank: 3, image: null });
  });

  test("a file over maxSize is a 413 and nothing is stored", async () => {
    const before = await storedFiles();
    const res = await send(
      "POST",
      "/api/photos",
      form({ caption: "big", image: new Blob([await png(40)], { type: "image/png" }) }),
    );
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(await storedFiles()).toBe(before);
  });

  test("a file named like an image without an image's bytes is refused", async () => {
    const res = await send(
      "POST",
      "/api/photos",
      form(
        {
          caption: "fake",
          image: new Blob(["<html><script>alert(1)</script>"], { type: "image/png" }),
        },
        "x.png",
      ),
    );
    expect(res.status).toBe(400);
    expect((await res.json()).error.details[0].message).toContain("application/octet-stream");
  });

  test("a type outside mimeTypes is a 400", async () => {
    const res = await send(
      "POST",
      "/api/photos",
      form({ caption: "page", image: new Blob(["<script>"], { type: "text/html" }) }, "page.html"),
    );
    expect(res.status).toBe(400);
    expect((await res.json()).error.details[0].path).toBe("image");
  });

  test("a failed write removes the file it stored", async () => {
    const before = await storedFiles();
    const res = await send(
      "POST",
      "/api/photos",
      form({ image: new Blob([await png()], { type: "image/png" }) }),
    );
    expect(res.status).toBe(400);
    expect(await storedFiles()).toBe(before);
  });

  test("replacing a file deletes the old one after commit, and deleting the document deletes its file", async () => {
    const created = await (
      await send(
        "POST",
        "/api/photos",
        form({ caption: "v1", image: new Blob([await png()], { type: "image/png" }) }),
      )
    ).json();
    const count = await storedFiles();
    const second = await png(5);
    const updated = await send(
      "PATCH",
      `/api/photos/${created.id}`,
      form({ image: new Blob([second], { type: "image/jpeg" }) }),
    );
    expect(updated.status).toBe(200);
    expect((await updated.json()).image).toMatchObject({
      size: second.length,
      mimeType: "image/png",
    });
    expect(await storedFiles()).toBe(count);
    const removed = await app.handle(
      new Request(`http://localhost/api/photos/${created.id}`, { method: "DELETE" }),
    );
    expect(removed.status).toBe(200);
    expect(await storedFiles()).toBe(count - 1);
  });

  test("a JSON body cannot set an upload field", async () => {
    const res = await app.handle(
      new Request("http://localhost/api/photos", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ caption: "x", image: { key: "../../secret" } }),
      }),
    );
    expect(res.status).toBe(400);
  });
});
