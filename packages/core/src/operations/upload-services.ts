/**
 * What uploads need from the running system beyond the storage driver: URL
 * signing, the sweeper of expired uploads and the image-size maker. Built
 * once per kernel; nothing here runs unless a collection has an upload field.
 */
import type { DatabaseAdapter, StorageDriver } from "../drivers/drivers.ts";
import type { Logger } from "../kernel/logger.ts";
import type { UploadField } from "../schema/fields.ts";
import type { ResolvedCollection } from "../schema/schema.ts";
import { createImageSizer, type ImageSizer, type ImageSizerOptions } from "./image-sizes.ts";
import { createUrlSigner, type UrlSigner } from "./upload-signing.ts";
import { createUploadSweeper, type UploadSweeper } from "./upload-sweeper.ts";

export interface UploadServices {
  signer: UrlSigner;
  sweeper: UploadSweeper;
  images: ImageSizer;
  /** Seconds a field's signed URLs live: the field's own, else the storage's, else 300. */
  signedUrlExpiry(field: UploadField): number;
}

export interface UploadServicesInput {
  collections: Iterable<ResolvedCollection>;
  db: DatabaseAdapter;
  storage: StorageDriver;
  logger: Logger;
  /** The secret signed URLs derive their key from (SESSION_SECRET). */
  secret: () => Promise<string>;
  images?: ImageSizerOptions;
}

const idleSweeper: UploadSweeper = {
  sweep: async () => 0,
  start() {},
  stop: async () => {},
};

export async function createUploadServices(input: UploadServicesInput): Promise<UploadServices> {
  const fields = [...input.collections].flatMap((c) =>
    c.fields.flatMap((f) => (f.config.type === "upload" ? [f.config] : [])),
  );
  const signer = createUrlSigner(input.secret);
  // Asked now, so that a production start without the secret stops at startup, not on a read.
  if (fields.some((f) => f.signedUrls)) await input.secret();
  return {
    signer,
    // Without an upload field there is no `lucent_uploads` table, and nothing to sweep.
    sweeper: fields.length > 0 ? createUploadSweeper(input) : idleSweeper,
    images: createImageSizer({ storage: input.storage, logger: input.logger, ...input.images }),
    signedUrlExpiry: (field) => field.signedUrlExpiry ?? input.storage.signedUrlExpiry ?? 300,
  };
}
