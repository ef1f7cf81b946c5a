/** Options of the S3 driver, and the one place the `S3_*` variables are read (CONTRACT §2). */
import { ConfigError } from "@lucent/core";
import { z } from "zod";

export interface StorageS3Options {
  /** The bucket. @default the S3_BUCKET environment variable */
  bucket?: string;
  /** The S3-compatible endpoint (`https://…`); AWS works without one. @default S3_ENDPOINT */
  endpoint?: string;
  /** The region. @default S3_REGION, else "us-east-1" */
  region?: string;
  /** @default S3_ACCESS_KEY_ID */
  accessKeyId?: string;
  /** @default S3_SECRET_ACCESS_KEY */
  secretAccessKey?: string;
  /** Address the bucket in the path (`endpoint/bucket/key`), as MinIO and most self-hosted stores want; false: `bucket.endpoint/key`. @default true */
  pathStyle?: boolean;
  /** A folder inside the bucket every key is written under (`uploads/`). @default "" */
  prefix?: string;
  /** Size of each part of a streamed upload in bytes (S3's minimum is 5 MiB); memory per upload is about `partSize * (queueSize + 1)`. @default 5 MiB */
  partSize?: number;
  /** Parts sent at once for one upload. @default 2 */
  queueSize?: number;
  /** Lifetime of signed URLs in seconds, unless a field sets its own. @default 300 */
  signedUrlExpiry?: number;
  /** Streamed uploads sent at once by this process; more wait their turn (each holds up to `partSize * (queueSize + 1)` bytes). @default 3 */
  maxConcurrentUploads?: number;
}

export interface ResolvedS3Options {
  bucket: string;
  endpoint: string | undefined;
  region: string;
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  pathStyle: boolean;
  prefix: string;
  partSize: number;
  queueSize: number;
  signedUrlExpiry: number;
  maxConcurrentUploads: number;
}

const MISSING_BUCKET =
  "no bucket: pass `bucket` to storageS3({ bucket }) or set the S3_BUCKET environment variable";

export const storageS3OptionsSchema = z
  .object({
    bucket: z.string().min(1).optional(),
    endpoint: z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }).optional(),
    region: z.string().min(1).optional(),
    accessKeyId: z.string().min(1).optional(),
    secretAccessKey: z.string().min(1).optional(),
    pathStyle: z.boolean().optional(),
    prefix: z
      .string()
      .regex(/^([a-z0-9][a-z0-9._-]*\/)*$/, "must be folder names each ending in /")
      .optional(),
    partSize: z
      .int()
      .min(5 * 1024 * 1024, "must be at least 5 MiB (S3's smallest part)")
      .optional(),
    queueSize: z.int().min(1).max(64).optional(),
    signedUrlExpiry: z.int().min(1).max(604_800).optional(),
    maxConcurrentUploads: z.int().min(1).max(1000).optional(),
  })
  .strict()
  .superRefine((options, ctx) => {
    if (!options.bucket && !Bun.env.S3_BUCKET)
      ctx.addIssue({ code: "custom", path: ["bucket"], message: MISSING_BUCKET });
  });

/** A problem with the options of `storageS3()` or `s3Storage()`, found when the driver is created. */
export class StorageS3OptionsError extends ConfigError {
  constructor(problems: string[]) {
    super(problems);
    this.name = "StorageS3OptionsError";
  }
}

export function resolveS3Options(options: StorageS3Options): ResolvedS3Options {
  const parsed = storageS3OptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new StorageS3OptionsError(
      parsed.error.issues.map((i) => `@lucent/storage-s3 ${i.path.join(".")}: ${i.message}`),
    );
  }
  const env = Bun.env;
  return {
    bucket: (options.bucket || env.S3_BUCKET)!,
    endpoint: options.endpoint || env.S3_ENDPOINT || undefined,
    region: options.region || env.S3_REGION || "us-east-1",
    accessKeyId: options.accessKeyId || env.S3_ACCESS_KEY_ID || undefined,
    secretAccessKey: options.secretAccessKey || env.S3_SECRET_ACCESS_KEY || undefined,
    pathStyle: options.pathStyle ?? true,
    prefix: options.prefix ?? "",
    partSize: options.partSize ?? 5 * 1024 * 1024,
    queueSize: options.queueSize ?? 2,
    signedUrlExpiry: options.signedUrlExpiry ?? 300,
    maxConcurrentUploads: options.maxConcurrentUploads ?? 3,
  };
}
