import { afterAll, beforeAll } from "bun:test";
import { join } from "node:path";
import { uploadScaleSuite } from "@lucent/conformance";
import { startS3, type TestS3 } from "../test/s3-server.ts";

let s3: TestS3;
beforeAll(async () => {
  s3 = await startS3();
});
afterAll(() => s3.close());

uploadScaleSuite("s3 (s3rver)", {
  storageModule: join(import.meta.dir, "../test/s3-module.ts"),
  env: () => ({
    S3_BUCKET: s3.bucket,
    S3_ENDPOINT: s3.endpoint,
    S3_REGION: "us-east-1",
    S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
  }),
});
