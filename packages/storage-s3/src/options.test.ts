import { afterEach, describe, expect, test } from "bun:test";
import { resolveS3Options, StorageS3OptionsError } from "./options.ts";

const saved = { ...Bun.env };
afterEach(() => {
  for (const name of Object.keys(Bun.env)) if (!(name in saved)) delete Bun.env[name];
  Object.assign(Bun.env, saved);
});

describe("storageS3 options", () => {
  test("every S3_* variable of CONTRACT §2 is read when no option is given", () => {
    Object.assign(Bun.env, {
      S3_BUCKET: "media",
      S3_ENDPOINT: "http://127.0.0.1:9000",
      S3_REGION: "eu-west-3",
      S3_ACCESS_KEY_ID: "id",
      S3_SECRET_ACCESS_KEY: "secret",
    });
    expect(resolveS3Options({})).toMatchObject({
      bucket: "media",
      endpoint: "http://127.0.0.1:9000",
      region: "eu-west-3",
      accessKeyId: "id",
      secretAccessKey: "secret",
      pathStyle: true,
      partSize: 5 * 1024 * 1024,
      signedUrlExpiry: 300,
    });
  });

  test("options win over the environment", () => {
    Bun.env.S3_BUCKET = "from-env";
    expect(resolveS3Options({ bucket: "from-options", pathStyle: false })).toMatchObject({
      bucket: "from-options",
      pathStyle: false,
    });
  });

  test("without a bucket the error names the option and the variable", () => {
    delete Bun.env.S3_BUCKET;
    expect(() => resolveS3Options({})).toThrow(StorageS3OptionsError);
    expect(() => resolveS3Options({})).toThrow(/S3_BUCKET/);
  });

  test("a part smaller than S3 allows and a non-http endpoint are refused", () => {
    expect(() => resolveS3Options({ bucket: "b", partSize: 1024 })).toThrow(/5 MiB/);
    expect(() => resolveS3Options({ bucket: "b", endpoint: "ftp://x" })).toThrow(/http/);
  });
});
