import { afterAll, beforeAll } from "bun:test";
import { storageDriverSuite } from "@lucent/conformance";
import { startS3, type TestS3 } from "../test/s3-server.ts";
import { s3Storage } from "./s3-driver.ts";

let s3: TestS3;
beforeAll(async () => {
  s3 = await startS3();
});
afterAll(() => s3.close());

storageDriverSuite("s3 (s3rver)", {
  make: () =>
    s3Storage({
      endpoint: s3.endpoint,
      bucket: s3.bucket,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
      partSize: 5 * 1024 * 1024,
    }),
  capabilities: { presign: true, multipart: true },
});
