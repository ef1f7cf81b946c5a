/** Direct uploads, tus uploads and the sweeper (CONTRACT §11), on the local driver. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import sharp from "sharp";
import { type Harness, startHarness } from "../../test/harness.ts";
import { defineCollection, defineModule } from "../index.ts";
import { createUploadSweeper } from "../operations/upload-sweeper.ts";

const Photos = defineCollection({
  slug: "photos",
  access: { create: () => true, update: () => true, delete: () => true },
  fields: {
    caption: { type: "text" },
    image: { type: "upload", mimeTypes: ["image/*"], maxSize: 200_000 },
  },
});

/** No access rules: writing needs a signed-in user. */
const Notes = defineCollection({
  slug: "notes",
  fields: { file: { type: "upload", maxSize: 100_000_000 } },
});

/** A caller named by the `x-user` header, so uploads have owners. */
const users = defineModule({
  name: "test-users",
  setup: () => ({
    resolveUser: async ({ request }) => {
      const id = request.headers.get("x-user");
      return id ? { id, collection: "users", email: `${id}@example.com` } : null;
    },
  }),
});

let h: Harness;
let image: Uint8Array<ArrayBuffer>;
beforeAll(async () => {
  h = await startHarness({ collections: [Photos, Notes], modules: [users] });
  const pixels = crypto.getRandomValues(new Uint8Array(30 * 30 * 3));
  image = new Uint8Array(
    await sharp(pixels, { raw: { width: 30, height: 30, channels: 3 } })
      .png()
      .toBuffer(),
  );
});
afterAll(() => h.close());

const as = (user: string, extra: Record<string, string> = {}) => ({ "x-user": user, ...extra });
const rows = async () =>
  Number(
    (
      await h.kernel.ctx.db.execute<{ n: string }>(sql`select count(*) as n from lucent_uploads`)
    )[0]!.n,
  );

async function direct(
  user: string,
  bytes: Uint8Array<ArrayBuffer>,
  declared = { mimeType: "image/png", size: bytes.length },
) {
  const res = await h.json(
    "POST",
    "/api/photos/uploads/image",
    { filename: "a.png", ...declared },
    as(user),
  );
  expect(res.status).toBe(201);
  const answer = await res.json();
  const put = await h.request(answer.uploadUrl, {
    method: answer.method,
    headers: answer.headers,
    body: bytes,
  });
  return { answer, put };
}

describe("direct uploads", () => {
  test("the answer says where to PUT; the key then makes a document whose file is the bytes sent", async () => {
    const { answer, put } = await direct("ada", image);
    // Checked field by field: Bun's toMatchObject writes its matchers into the received object.
    expect(answer.key).toMatch(/^photos\/[0-9a-f-]{36}$/);
    expect(answer.method).toBe("PUT");
    expect(answer.headers).toEqual({ "content-type": "image/png" });
    expect(Date.parse(answer.expiresAt)).toBeGreaterThan(Date.now());
    expect(put.status).toBe(200);
    const created = await h.json("POST", "/api/photos", { image: { key: answer.key } }, as("ada"));
    expect(created.status).toBe(201);
    const doc = await created.json();
    expect(doc.image).toMatchObject({
      key: answer.key,
      mimeType: "image/png",
      size: image.length,
      filename: "a.png",
    });
    const file = await h.request(doc.image.url);
    expect(Bun.hash(new Uint8Array(await file.arrayBuffer()))).toBe(Bun.hash(image));
    // Taken: the same key cannot make a second document.
    const again = await h.json("POST", "/api/photos", { image: { key: answer.key } }, as("ada"));
    expect(again.status).toBe(400);
  });

  test("a one-time URL works once", async () => {
    const { answer } = await direct("ada", image);
    const second = await h.request(answer.uploadUrl, {
      method: "PUT",
      headers: answer.headers,
      body: image,
    });
    expect(second.status).toBe(409);
  });

  test("an object that is not an image is refused for an image field, whatever was declared", async () => {
    const { answer, put } = await direct("ada", new TextEncoder().encode("<svg onload=alert(1)>"), {
      mimeType: "image/png",
      size: 21,
    });
    expect(put.status).toBe(200);
    const res = await h.json("POST", "/api/photos", { image: { key: answer.key } }, as("ada"));
    expect(res.status).toBe(400);
    expect((await res.json()).error.details[0]).toMatchObject({ path: "image" });
  });

  test("a missing object, another caller's key, a foreign key and a size past maxSize are refused", async () => {
    const started = await (
      await h.json(
        "POST",
        "/api/photos/uploads/image",
        { filename: "a.png", mimeType: "image/png", size: 10 },
        as("ada"),
      )
    ).json();
    expect(
      (await h.json("POST", "/api/photos", { image: { key: started.key } }, as("ada"))).status,
    ).toBe(400);
    const { answer } = await direct("ada", image);
    expect(
      (await h.json("POST", "/api/photos", { image: { key: answer.key } }, as("bob"))).status,
    ).toBe(403);
    expect(
      (await h.json("POST", "/api/photos", { image: { key: "photos/../../etc" } }, as("ada")))
        .status,
    ).toBe(400);
    const big = await h.json(
      "POST",
      "/api/photos/uploads/image",
      { filename: "a.png", mimeType: "image/png", size: 300_000 },
      as("ada"),
    );
    expect(big.status).toBe(413);
  });

  test("random request bodies are 4xx, never 5xx, and start nothing", async () => {
    const before = await rows();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 100 }),
          fc.json(),
          fc
            .record({
              filename: fc.oneof(fc.string(), fc.integer()),
              mimeType: fc.oneof(fc.string(), fc.constant("text/html")),
              size: fc.oneof(fc.integer({ min: -10, max: 10 ** 9 }), fc.string(), fc.double()),
            })
            .map((o) => JSON.stringify(o)),
        ),
        async (body) => {
          const res = await h.request("/api/photos/uploads/image", {
            method: "POST",
            headers: { "content-type": "application/json", ...as("ada") },
            body,
          });
          if (res.status === 201) return; // a random body can be a valid request
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
    expect(await rows()).toBeGreaterThanOrEqual(before);
  });
});

const TUS = { "tus-resumable": "1.0.0" };
const b64 = (s: string) => Buffer.from(s).toString("base64");

async function tusCreate(
  user: string,
  length: number,
  metadata = `filename ${b64("t.png")},filetype ${b64("image/png")}`,
) {
  const res = await h.request("/api/photos/uploads/image/tus", {
    method: "POST",
    headers: as(user, { ...TUS, "upload-length": String(length), "upload-metadata": metadata }),
  });
  expect(res.status).toBe(201);
  return { location: res.headers.get("location")!, key: res.headers.get("lucent-upload-key")! };
}

const patch = (user: string, location: string, offset: number, body: BodyInit) =>
  h.request(location, {
    method: "PATCH",
    headers: as(user, {
      ...TUS,
      "upload-offset": String(offset),
      "content-type": "application/offset+octet-stream",
    }),
    body,
  });

const offsetOf = async (user: string, location: string) => {
  const res = await h.request(location, { method: "HEAD", headers: as(user, TUS) });
  return res.status === 200 ? Number(res.headers.get("upload-offset")) : res.status * -1;
};

describe("tus uploads", () => {
  test("chunks add up to the file, which a write then takes by key", async () => {
    const { location, key } = await tusCreate("ada", image.length);
    expect(location).toMatch(/^\/api\/photos\/uploads\/image\/tus\/[0-9a-f-]{36}$/);
    expect(await offsetOf("ada", location)).toBe(0);
    const first = await patch("ada", location, 0, image.slice(0, 1000));
    expect(first.status).toBe(204);
    expect(first.headers.get("upload-offset")).toBe("1000");
    expect(first.headers.get("upload-expires")).toBeTruthy();
    expect(await offsetOf("ada", location)).toBe(1000);
    const last = await patch("ada", location, 1000, image.slice(1000));
    expect(last.headers.get("upload-offset")).toBe(String(image.length));
    const doc = await (await h.json("POST", "/api/photos", { image: { key } }, as("ada"))).json();
    expect(doc.image).toMatchObject({
      key,
      filename: "t.png",
      mimeType: "image/png",
      size: image.length,
    });
    expect(new Uint8Array(await (await h.request(doc.image.url)).arrayBuffer())).toEqual(image);
  });

  test("a wrong offset is 409, a wrong type 400, an unfinished upload cannot be claimed", async () => {
    const { location, key } = await tusCreate("ada", image.length);
    expect((await patch("ada", location, 5, image.slice(0, 10))).status).toBe(409);
    const wrongType = await h.request(location, {
      method: "PATCH",
      headers: as("ada", { ...TUS, "upload-offset": "0", "content-type": "text/plain" }),
      body: "x",
    });
    expect(wrongType.status).toBe(400);
    await patch("ada", location, 0, image.slice(0, 10));
    expect((await h.json("POST", "/api/photos", { image: { key } }, as("ada"))).status).toBe(400);
  });

  test("an interrupted PATCH leaves the offset of the last whole chunk, and the upload resumes", async () => {
    const { location, key } = await tusCreate("ada", image.length);
    await patch("ada", location, 0, image.slice(0, 500));
    let sent = 0;
    const broken = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ === 0) controller.enqueue(image.slice(500, 900));
        else controller.error(new Error("connection lost"));
      },
    });
    const res = await patch("ada", location, 500, broken).catch(() => null);
    expect(res === null || res.status >= 400).toBe(true);
    expect(await offsetOf("ada", location)).toBe(500);
    await patch("ada", location, 500, image.slice(500));
    const doc = await (await h.json("POST", "/api/photos", { image: { key } }, as("ada"))).json();
    expect(new Uint8Array(await (await h.request(doc.image.url)).arrayBuffer())).toEqual(image);
  });

  test("another caller sees no upload; termination removes it", async () => {
    const { location } = await tusCreate("ada", image.length);
    expect(await offsetOf("bob", location)).toBe(-404);
    expect((await patch("bob", location, 0, image.slice(0, 10))).status).toBe(404);
    const del = await h.request(location, { method: "DELETE", headers: as("ada", TUS) });
    expect(del.status).toBe(204);
    expect(await offsetOf("ada", location)).toBe(-404);
  });

  test("an upload longer than maxSize is refused at creation", async () => {
    const res = await h.request("/api/photos/uploads/image/tus", {
      method: "POST",
      headers: as("ada", { ...TUS, "upload-length": "300000" }),
    });
    expect(res.status).toBe(413);
  });

  test("random tus headers are 4xx, never 5xx, and leave the offset as it was", async () => {
    const { location } = await tusCreate("ada", image.length);
    await patch("ada", location, 0, image.slice(0, 100));
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          offset: fc.oneof(
            fc.string({ maxLength: 12 }),
            fc.integer({ min: -5, max: 10 ** 6 }).map(String),
          ),
          resumable: fc.constantFrom("1.0.0", "0.2.2", ""),
          length: fc.oneof(fc.string({ maxLength: 12 }), fc.nat().map(String)),
          metadata: fc.string({ maxLength: 40 }),
        }),
        async (r) => {
          const clean = (s: string) => s.replace(/[^\x20-\x7e]/g, "");
          const created = await h.request("/api/photos/uploads/image/tus", {
            method: "POST",
            headers: as("ada", {
              "tus-resumable": r.resumable,
              "upload-length": clean(r.length),
              "upload-metadata": clean(r.metadata),
            }),
          });
          expect(created.status).toBeLessThan(500);
          const res = await h.request(location, {
            method: "PATCH",
            headers: as("ada", {
              "tus-resumable": r.resumable,
              "upload-offset": clean(r.offset),
              "content-type": "application/offset+octet-stream",
            }),
            body: new Uint8Array(0),
          });
          expect(res.status).toBeLessThan(500);
          expect(await offsetOf("ada", location)).toBe(100);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("refused before a byte is stored", () => {
  test("an anonymous multipart write under the default rule is a 401 before its body is read", async () => {
    let pulled = 0;
    const head = new TextEncoder().encode(
      '--b\r\ncontent-disposition: form-data; name="file"; filename="x.bin"\r\n\r\n',
    );
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (pulled === 0) controller.enqueue(head);
          else if (pulled > 50_000_000) return controller.close();
          else controller.enqueue(new Uint8Array(1 << 20));
          pulled += pulled === 0 ? head.length : 1 << 20;
        },
      },
      { highWaterMark: 0 },
    );
    const before = await rows();
    const res = await h.request("/api/notes", {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=b" },
      body,
    });
    expect(res.status).toBe(401);
    expect(pulled).toBeLessThan(4 << 20);
    expect(await rows()).toBe(before);
  });
});

describe("the sweeper", () => {
  test("removes expired uploads that no write took, their objects and chunks included", async () => {
    const { answer } = await direct("ada", image);
    const { location } = await tusCreate("ada", image.length);
    await patch("ada", location, 0, image.slice(0, 100));
    const [tus] = await h.kernel.ctx.db.execute<{ parts: Array<{ key: string }> }>(
      sql`select parts from lucent_uploads where kind = 'tus' and received = 100 order by created_at desc limit 1`,
    );
    const chunk = tus!.parts[0]!.key;
    expect(await h.kernel.ctx.storage.head(chunk)).not.toBeNull();
    await h.kernel.ctx.db.execute(
      sql`update lucent_uploads set expires_at = now() - interval '1 second'`,
    );
    const sweeper = createUploadSweeper({
      db: h.kernel.ctx.db,
      storage: h.kernel.ctx.storage,
      logger: h.kernel.ctx.logger,
    });
    expect(await sweeper.sweep()).toBeGreaterThanOrEqual(2);
    expect(await h.kernel.ctx.storage.head(answer.key)).toBeNull();
    expect(await h.kernel.ctx.storage.head(chunk)).toBeNull();
    expect(await rows()).toBe(0);
  });
});
