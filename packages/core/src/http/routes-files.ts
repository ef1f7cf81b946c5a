/**
 * `GET /api/:slug/:id/:field` (CONTRACT §11): the stored file of an upload
 * field, with the collection's and the field's read access, or a valid
 * signature for fields with `signedUrls`. ETag/304, single ranges (206, 416),
 * a safe Content-Disposition, nosniff; `?size=<name>` serves a declared image size.
 */
import { Elysia } from "elysia";
import type { Kernel } from "../kernel/kernel-create.ts";
import { fileUrl } from "../operations/upload-values.ts";
import type { ResolvedCollection } from "../schema/schema.ts";
import { invalid, NotFoundError } from "./errors.ts";
import { contentDisposition, etagMatches, parseRange } from "./range-header.ts";

const PARAMS = new Set(["size", "expires", "signature"]);

interface FileValue {
  key: string;
  mimeType?: string;
  filename?: string;
}

/** Only images are shown inline; anything else downloads, so a stored HTML file cannot run in our origin. */
function dispositionKind(type: string): "inline" | "attachment" {
  return type.startsWith("image/") && type !== "image/svg+xml" ? "inline" : "attachment";
}

export function fileRoutes(kernel: Kernel, collection: ResolvedCollection) {
  const slug = collection.slug;
  const { engine } = kernel;
  return new Elysia({ name: `@lucent/core/files/${slug}` }).get(
    `/${slug}/:id/:field`,
    async ({ request, params }) => {
      const field = collection.fieldMap.get(params.field);
      if (field?.config.type !== "upload") throw new NotFoundError("no such upload field");
      const config = field.config;
      const url = new URL(request.url);
      for (const name of new Set(url.searchParams.keys())) {
        if (!PARAMS.has(name)) throw invalid(name, "unknown parameter");
        if (url.searchParams.getAll(name).length > 1) throw invalid(name, "may appear only once");
      }
      const sizeName = url.searchParams.get("size");
      const size = sizeName === null ? undefined : config.imageSizes?.[sizeName];
      if (sizeName !== null && (!size || !Object.hasOwn(config.imageSizes ?? {}, sizeName)))
        throw invalid("size", `not a declared size of ${field.name}`);
      // A signature is checked before anything is read: an expired URL is a 403 whatever it names.
      const signed =
        config.signedUrls &&
        (await engine.uploads.signer.verify(
          fileUrl(engine.prefix, slug, params.id, field.name),
          url.searchParams,
        )) === "ok";
      if (!config.signedUrls && url.searchParams.has("signature"))
        throw invalid("signature", "this field's URLs are not signed");
      // No `select`: a field the caller may not read must be a 404 here, and selecting it is a 400.
      const doc = await kernel.lucent.findById({
        collection: slug,
        id: params.id,
        ...(signed
          ? { overrideAccess: true }
          : { user: await kernel.ctx.resolveCaller(request), req: request }),
      });
      const value = doc[field.name] as FileValue | null | undefined;
      if (!value?.key) throw new NotFoundError("no file stored in this field");

      let key = value.key;
      let type = value.mimeType ?? "application/octet-stream";
      if (size && sizeName) {
        const variant = await engine.uploads.images.variant(value.key, sizeName, size);
        key = variant.key;
        type = variant.mimeType;
      }
      // Keys never change content (a new file gets a new key), so the key is a strong ETag.
      const etag = `"${key.slice(key.indexOf("/") + 1)}"`;
      const common: Record<string, string> = {
        etag,
        "accept-ranges": "bytes",
        "cache-control": "private, no-cache",
        "x-content-type-options": "nosniff",
      };
      if (etagMatches(request.headers.get("if-none-match"), etag))
        return new Response(null, { status: 304, headers: common });
      const info = await engine.storage.head(key);
      if (!info) throw new NotFoundError("the stored file is missing");
      const ifRange = request.headers.get("if-range");
      const wanted =
        ifRange && ifRange !== etag
          ? { kind: "whole" as const }
          : parseRange(request.headers.get("range"), info.size);
      if (wanted.kind === "unsatisfiable")
        return new Response(null, {
          status: 416,
          headers: { ...common, "content-range": `bytes */${info.size}` },
        });
      const range = wanted.kind === "range" ? wanted.range : undefined;
      const file = await engine.storage.get(key, range ? { range } : {});
      if (!file) throw new NotFoundError("the stored file is missing");
      const filename = sizeName
        ? `${sizeName}-${value.filename ?? "file"}`
        : (value.filename ?? "file");
      const headers: Record<string, string> = {
        ...common,
        "content-type": type,
        "content-disposition": contentDisposition(dispositionKind(type), filename),
        "content-length": String(range ? range.end - range.start + 1 : info.size),
        ...(range ? { "content-range": `bytes ${range.start}-${range.end}/${info.size}` } : {}),
      };
      return new Response(file.body, { status: range ? 206 : 200, headers });
    },
  );
}
