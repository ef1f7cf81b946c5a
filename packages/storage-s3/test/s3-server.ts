/// <reference path="./s3rver.d.ts" />
/**
 * A real S3-compatible server for the tests: s3rver on a free port, its
 * objects in a temp folder. Nothing about S3 is mocked.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";

export interface TestS3 {
  endpoint: string;
  bucket: string;
  /** Credentials s3rver accepts. */
  accessKeyId: string;
  secretAccessKey: string;
  /** The AWS SDK on the same server: a second, independent client. */
  aws: S3Client;
  close(): Promise<void>;
}

export async function startS3(bucket = "lucent-test"): Promise<TestS3> {
  const directory = await mkdtemp(join(tmpdir(), "lucent-s3rver-"));
  const server = new S3rver({
    port: 0,
    address: "127.0.0.1",
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const aws = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: "us-east-1",
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
  });
  return {
    endpoint,
    bucket,
    accessKeyId: "S3RVER",
    secretAccessKey: "S3RVER",
    aws,
    async close() {
      aws.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
