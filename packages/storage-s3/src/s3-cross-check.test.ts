/** The driver's objects as the AWS SDK, a second and independent client, sees them. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { chunkedStream, randomBytes, storageKey } from "@lucent/conformance";
import { startS3, type TestS3 } from "../test/s3-server.ts";
import { s3Storage } from "./s3-driver.ts";

let s3: TestS3;
beforeAll(async () => {
  s3 = await startS3();
});
afterAll(() => s3.close());

const driver = (prefix = "") =>
  s3Storage({
    endpoint: s3.endpoint,
    bucket: s3.bucket,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    prefix,
  });

async function awsBytes(key: string): Promise<Uint8Array> {
  const object = await s3.aws.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
  return object.Body!.transformToByteArray();
}

describe("@lucent/storage-s3 against the AWS SDK", () => {
  test("a streamed multipart put under a prefix reads back byte-identical through the SDK", async () => {
    const d = driver("uploads/");
    const data = randomBytes(11 * 1024 * 1024 + 3);
    const key = storageKey("posts");
    await d.put(key, chunkedStream(data, 100_000), { contentType: "image/png" });
    const head = await s3.aws.send(
      new HeadObjectCommand({ Bucket: s3.bucket, Key: `uploads/${key}` }),
    );
    expect(head.ContentLength).toBe(data.length);
    expect(head.ContentType).toBe("image/png");
    expect(Bun.hash(await awsBytes(`uploads/${key}`))).toBe(Bun.hash(data));
  });

  test("an object the SDK wrote reads back through the driver, whole and by range", async () => {
    const d = driver();
    const data = randomBytes(200_000);
    const key = storageKey("posts");
    await s3.aws.send(
      new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: data, ContentType: "image/jpeg" }),
    );
    expect(await d.head(key)).toEqual({ size: data.length, contentType: "image/jpeg" });
    const whole = await d.get(key);
    expect(Bun.hash(await Bun.readableStreamToBytes(whole!.body))).toBe(Bun.hash(data));
    const part = await d.get(key, { range: { start: 1000, end: 1999 } });
    expect(await Bun.readableStreamToBytes(part!.body)).toEqual(data.slice(1000, 2000));
  });

  test("a presigned PUT declares its content type, which the SDK then reads", async () => {
    const d = driver();
    const key = storageKey("posts");
    const url = await d.presign!(key, { method: "PUT", expiresIn: 60, contentType: "image/webp" });
    const res = await fetch(url, {
      method: "PUT",
      body: new Uint8Array([1, 2, 3]),
      headers: { "content-type": "image/webp" },
    });
    expect(res.status).toBe(200);
    const head = await s3.aws.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }));
    expect(head.ContentType).toBe("image/webp");
    expect(head.ContentLength).toBe(3);
  });

  test("a delete through the driver is seen by the SDK", async () => {
    const d = driver();
    const key = storageKey("posts");
    await d.put(key, new Uint8Array([9]), { contentType: "application/octet-stream" });
    await d.delete(key);
    expect(s3.aws.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }))).rejects.toThrow();
  });

  test("the health check fails for a bucket that does not exist", async () => {
    const d = s3Storage({
      endpoint: s3.endpoint,
      bucket: "no-such-bucket",
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
    });
    await expect(d.check()).rejects.toThrow();
  });
});
