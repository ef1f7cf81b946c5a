/**
 * Resumable uploads, tus 1.0 (core, creation, termination, expiration) at
 * `/api/:slug/uploads/:field/tus` (CONTRACT §11). The finished upload's key
 * is `<slug>/<id>` (also sent as `Lucent-Upload-Key`), claimed by a write as
 * `{ "<field>": { "key": "…" } }`. Only the caller who created an upload may
 * see, continue or end it.
 */
import { Elysia } from "elysia";
import type { Kernel } from "../kernel/kernel-create.ts";
import { appendChunk, completeEmpty, terminate, tusState } from "../operations/tus-upload.ts";
import { startUpload } from "../operations/upload-start.ts";
import { findUpload, type UploadRow } from "../operations/upload-table.ts";
import { uploadField } from "../operations/upload-values.ts";
import type { ResolvedCollection } from "../schema/schema.ts";
import { invalid, NotFoundError } from "./errors.ts";
import { byteCount, checkTusResumable, TUS_VERSION, uploadMetadata } from "./tus-headers.ts";

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function tusRoutes(kernel: Kernel, collection: ResolvedCollection) {
  const { engine } = kernel;
  const slug = collection.slug;
  const common = (maxSize?: number) => ({
    "tus-resumable": TUS_VERSION,
    "tus-version": TUS_VERSION,
    "tus-extension": "creation,termination,expiration",
    ...(maxSize ? { "tus-max-size": String(maxSize) } : {}),
    "cache-control": "no-store",
  });
  /** The caller's own upload of this field, or a 404 (someone else's is not shown). */
  const own = async (request: Request, field: string, id: string): Promise<UploadRow> => {
    uploadField(collection, field);
    checkTusResumable(request.headers);
    if (!ID.test(id)) throw new NotFoundError("no such upload");
    const row = await findUpload(engine.db, `${slug}/${id}`);
    const user = await kernel.ctx.resolveCaller(request);
    if (row?.kind !== "tus" || row.field !== field || row.owner !== (user?.id ?? null))
      throw new NotFoundError("no such upload");
    return row;
  };
  const stateHeaders = (row: UploadRow, state = tusState(row)) => ({
    ...common(),
    "upload-offset": String(state.offset),
    "upload-length": String(state.length),
    "upload-expires": state.expiresAt.toUTCString(),
    "lucent-upload-key": row.key,
  });

  return new Elysia({ name: `@lucent/core/tus/${slug}` })
    .post(
      `/${slug}/uploads/:field/tus`,
      async ({ request, params }) => {
        uploadField(collection, params.field);
        checkTusResumable(request.headers);
        if (request.headers.has("upload-defer-length"))
          throw invalid("Upload-Defer-Length", "not supported: send Upload-Length");
        const length = byteCount(request.headers, "upload-length");
        const metadata = uploadMetadata(request.headers.get("upload-metadata"));
        const started = await startUpload({
          engine,
          collection,
          field: params.field,
          user: await kernel.ctx.resolveCaller(request),
          req: request,
          kind: "tus",
          filename: metadata.filename,
          mimeType: metadata.filetype ?? metadata.contentType,
          size: length,
          metadata,
        });
        const row = (await findUpload(engine.db, started.key))!;
        if (length === 0) await completeEmpty(engine, row);
        const id = started.key.slice(slug.length + 1);
        return new Response(null, {
          status: 201,
          headers: {
            ...stateHeaders(row),
            location: `${engine.prefix}/${slug}/uploads/${params.field}/tus/${id}`,
          },
        });
      },
      { parse: "none" },
    )
    .head(`/${slug}/uploads/:field/tus/:id`, async ({ request, params }) => {
      const row = await own(request, params.field, params.id);
      return new Response(null, { status: 200, headers: stateHeaders(row) });
    })
    .patch(
      `/${slug}/uploads/:field/tus/:id`,
      async ({ request, params }) => {
        const row = await own(request, params.field, params.id);
        const type = (request.headers.get("content-type") ?? "")
          .split(";")[0]!
          .trim()
          .toLowerCase();
        if (type !== "application/offset+octet-stream")
          throw invalid("Content-Type", "must be application/offset+octet-stream");
        const offset = byteCount(request.headers, "upload-offset");
        const state = await appendChunk(engine, row, offset, request.body ?? new Blob([]).stream());
        return new Response(null, { status: 204, headers: stateHeaders(row, state) });
      },
      { parse: "none" },
    )
    .delete(`/${slug}/uploads/:field/tus/:id`, async ({ request, params }) => {
      const row = await own(request, params.field, params.id);
      await terminate(engine, row);
      return new Response(null, { status: 204, headers: common() });
    });
}
