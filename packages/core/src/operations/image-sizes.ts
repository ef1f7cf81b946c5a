/**
 * Declared image sizes (CONTRACT §11): a variant is made with sharp the first
 * time it is asked for, stored under `<key>.<size>`, and served from storage
 * after that. Only a few are made at once, sharp keeps no cache, and an
 * input above `maxInputPixels` is refused before it is decoded, so a hostile
 * image (a small file of huge dimensions) cannot exhaust memory.
 */
import { Readable } from "node:stream";
import type { StorageDriver } from "../drivers/drivers.ts";
import { ValidationError } from "../http/errors.ts";
import type { Logger } from "../kernel/logger.ts";
import type { ImageSize } from "../schema/fields.ts";

export interface ImageSizerOptions {
  /** Variants made at once in this process. @default 2 */
  concurrency?: number;
  /** Largest input, in pixels (width × height), that a variant is made from. @default 24_000_000 */
  maxInputPixels?: number;
}

export interface ImageVariant {
  key: string;
  mimeType: string;
  size: number;
}

export interface ImageSizer {
  /** The stored variant of `key` named `name`, made now if it is not stored yet. */
  variant(key: string, name: string, size: ImageSize): Promise<ImageVariant>;
  /** How many variants this process has made (the rest came from storage). */
  readonly made: number;
}

const MIME = { webp: "image/webp", avif: "image/avif", png: "image/png", jpeg: "image/jpeg" };

type Sharp = typeof import("sharp").default;
let sharpModule: Promise<Sharp> | undefined;

/** sharp is an optional peer dependency: loaded on the first variant, with a clear error when absent. */
function loadSharp(): Promise<Sharp> {
  sharpModule ??= import("sharp").then(
    (m) => {
      const sharp = m.default;
      sharp.cache(false); // libvips' operation cache holds decoded images; variants are made once
      sharp.concurrency(1); // threads per image: the limiter below bounds images at once
      return sharp;
    },
    () => {
      sharpModule = undefined;
      throw new Error("imageSizes need sharp: bun add sharp");
    },
  );
  return sharpModule;
}

export function createImageSizer(input: {
  storage: StorageDriver;
  logger: Logger;
  concurrency?: number;
  maxInputPixels?: number;
}): ImageSizer {
  const limit = input.concurrency ?? 2;
  const maxPixels = input.maxInputPixels ?? 24_000_000;
  let active = 0;
  const waiting: Array<() => void> = [];
  const inFlight = new Map<string, Promise<ImageVariant>>();
  let made = 0;

  const slot = async () => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
  };
  const release = () => {
    active--;
    waiting.shift()?.();
  };

  const make = async (key: string, variantKey: string, size: ImageSize): Promise<ImageVariant> => {
    const format = size.format ?? "webp";
    const mimeType = MIME[format];
    const stored = await input.storage.head(variantKey);
    if (stored) return { key: variantKey, mimeType, size: stored.size };
    const sharp = await loadSharp();
    await slot();
    try {
      const original = await input.storage.get(key);
      if (!original) throw new ValidationError([{ path: "size", message: "the file is missing" }]);
      const pipeline = sharp({ limitInputPixels: maxPixels, sequentialRead: true, failOn: "error" })
        .rotate()
        .resize({
          ...(size.width ? { width: size.width } : {}),
          ...(size.height ? { height: size.height } : {}),
          fit: size.fit ?? "cover",
          withoutEnlargement: true,
        })
        .toFormat(format);
      let bytes: Buffer;
      try {
        Readable.fromWeb(original.body as unknown as import("node:stream/web").ReadableStream).pipe(
          pipeline,
        );
        bytes = await pipeline.toBuffer();
      } catch (error) {
        const message = String((error as Error).message ?? error);
        input.logger.warn({ err: error, key }, "an image size could not be made");
        throw new ValidationError([
          {
            path: "size",
            message: /pixel limit/i.test(message)
              ? `the image has more than ${maxPixels} pixels; its sizes are not made`
              : "the stored file is not an image its sizes can be made from",
          },
        ]);
      }
      await input.storage.put(variantKey, bytes, { contentType: mimeType });
      made++;
      return { key: variantKey, mimeType, size: bytes.byteLength };
    } finally {
      release();
    }
  };

  return {
    variant(key, name, size) {
      const variantKey = `${key}.${name}`;
      // One making per variant in this process: concurrent requests share it.
      let pending = inFlight.get(variantKey);
      if (!pending) {
        pending = make(key, variantKey, size).finally(() => inFlight.delete(variantKey));
        inFlight.set(variantKey, pending);
      }
      return pending;
    },
    get made() {
      return made;
    },
  };
}
