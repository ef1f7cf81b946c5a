/** Core's uploads on S3 (s3rver): the module replaces local storage and every upload path works. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { createKernel, defineCollection, type Kernel, lucentPlugin } from "@lucent/core";
import { createTestDatabase, type TestDatabase } from "@lucent/test-utils";
import sharp from "sharp";
import { startS3, type TestS3 } from "../test/s3-server.ts";
import { storageS3 } from "./index.ts";

const Posts = defineCollection({
  slug: "posts",
  access: { create: () => true, update: () => true, delete: () => true },
  fields: {
    title: { type: "text" },
    cover: {
      type: "upload",
      mimeTypes: ["image/*"],
      maxSize: 20 * 1024 * 1024,
      imageSizes: { thumb: { width: 16, height: 16, format: "webp" } },
    },
  },
});

let s3: TestS3;
let db: TestDatabase;
let dir: string;
let kernel: Kernel;
let app: ReturnType<typeof lucentPlugin>;
const request = (path: string, init?: RequestInit) =>
  app.handle(new Request(`http://localhost${path}`, init));

beforeAll(async () => {
  s3 = await startS3();
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), "lucent-s3-kernel-"));
  kernel = await createKernel({
    collections: [Posts],
    modules: [
      storageS3({
        endpoint: s3.endpoint,
        bucket: s3.bucket,
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
        prefix: "media/",
      }),
    ],
    db: { url: db.url },
    dataDir: dir,
    typegen: { output: false },
  });
  app = lucentPlugin(kernel, { handleSignals: false });
});
afterAll(async () => {
  await kernel.stop();
  await db.close();
  await s3.close();
  await rm(dir, { recursive: true, force: true });
});

const png = async (side: number) =>
  new Uint8Array(
    await sharp(crypto.getRandomValues(new Uint8Array(side * side * 3)), {
      raw: { width: side, height: side, channels: 3 },
    })
      .png()
      .toBuffer(),
  );

describe("uploads on @lucent/storage-s3", () => {
  test("a multipart file is stored in the bucket (read back by the AWS SDK) and served with ranges", async () => {
    const image = await png(1400); // ~5.9 MB of noise: past one 5 MiB part, so sent in parts
    const form = new FormData();
    form.append("_payload", JSON.stringify({ title: "sea" }));
    form.append("cover", new Blob([image], { type: "image/png" }), "sea.png");
    const res = await request("/api/posts", { method: "POST", body: form });
    expect(res.status).toBe(201);
    const doc = await res.json();
    expect(kernel.ctx.storage.name).toBe("s3");
    const object = await s3.aws.send(
      new GetObjectCommand({ Bucket: s3.bucket, Key: `media/${doc.cover.key}` }),
    );
    expect(Bun.hash(await object.Body!.transformToByteArray())).toBe(Bun.hash(image));
    const part = await request(doc.cover.url, { headers: { range: "bytes=10-19" } });
    expect(part.status).toBe(206);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(image.slice(10, 20));
  });

  test("a direct upload goes to a presigned S3 URL; an image is taken, anything else refused", async () => {
    const image = await png(20);
    const start = async (bytes: Uint8Array<ArrayBuffer>) => {
      const res = await request("/api/posts/uploads/cover", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ filename: "x.png", mimeType: "image/png", size: bytes.length }),
      });
      expect(res.status).toBe(201);
      const answer = await res.json();
      expect(answer.uploadUrl).toStartWith(s3.endpoint);
      const put = await fetch(answer.uploadUrl, {
        method: "PUT",
        headers: answer.headers,
        body: bytes,
      });
      expect(put.status).toBe(200);
      return answer.key as string;
    };
    const write = (key: string) =>
      request("/api/posts", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ cover: { key } }),
      });
    expect((await write(await start(image))).status).toBe(201);
    const refused = await write(await start(new TextEncoder().encode("<html>not an image</html>")));
    expect(refused.status).toBe(400);
  });

  test("a tus upload is assembled in the bucket and claimed", async () => {
    const image = await png(300);
    const created = await request("/api/posts/uploads/cover/tus", {
      method: "POST",
      headers: { "tus-resumable": "1.0.0", "upload-length": String(image.length) },
    });
    const location = created.headers.get("location")!;
    const key = created.headers.get("lucent-upload-key")!;
    for (let at = 0; at < image.length; at += 100_000) {
      const res = await request(location, {
        method: "PATCH",
        headers: {
          "tus-resumable": "1.0.0",
          "upload-offset": String(at),
          "content-type": "application/offset+octet-stream",
        },
        body: image.slice(at, at + 100_000),
      });
      expect(res.status).toBe(204);
    }
    const res = await request("/api/posts", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ cover: { key } }),
    });
    expect(res.status).toBe(201);
    const doc = await res.json();
    expect(Bun.hash(new Uint8Array(await (await request(doc.cover.url)).arrayBuffer()))).toBe(
      Bun.hash(image),
    );
  });

  test("an image size is made once and then read from the bucket", async () => {
    const form = new FormData();
    form.append("cover", new Blob([await png(64)], { type: "image/png" }), "p.png");
    const doc = await (await request("/api/posts", { method: "POST", body: form })).json();
    const made = kernel.engine.uploads.images.made;
    expect((await request(`${doc.cover.url}?size=thumb`)).status).toBe(200);
    expect((await request(`${doc.cover.url}?size=thumb`)).status).toBe(200);
    expect(kernel.engine.uploads.images.made).toBe(made + 1);
    expect((await kernel.ctx.storage.head(`${doc.cover.key}.thumb`))?.size).toBeGreaterThan(0);
  });
});
