/**
 * `@lucent/storage-s3`: uploads on any S3-compatible store. Install it as a
 * module and core keeps every upload field's files there instead of on disk.
 */
import type { LucentModule } from "@lucent/core";
import type { StorageS3Options } from "./options.ts";
import { storageS3OptionsSchema } from "./options.ts";
import { s3Storage } from "./s3-driver.ts";

export type { StorageS3Options } from "./options.ts";
export { StorageS3OptionsError, storageS3OptionsSchema } from "./options.ts";
export { s3Storage } from "./s3-driver.ts";

export function storageS3(options: StorageS3Options = {}) {
  return {
    name: "@lucent/storage-s3",
    optionsSchema: storageS3OptionsSchema,
    options,
    drivers: { storage: () => s3Storage(options) },
  } satisfies LucentModule;
}
