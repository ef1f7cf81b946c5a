/**
 * Direct uploads (CONTRACT §11): `POST /api/:slug/uploads/:field` with
 * `{ filename, mimeType, size }` answers where to send the bytes: a presigned
 * PUT when the storage has one, else a one-time signed URL of this server
 * (`PUT /api/:slug/uploads/:field/put/:id`), which streams the body to storage.
 * The client then writes `{ "<field>": { "key": "…" } }`.
 */

import { sql } from "drizzle-orm";
import { Elysia } from "elysia";
import { z } from "zod";
import type { Kernel } from "../kernel/kernel-create.ts";
import { byteLimit, tooLarge } from "../operations/upload-stage.ts";
import { startUpload } from "../operations/upload-start.ts";
import { findUpload } from "../operations/upload-table.ts";
import { uploadField } from "../operations/upload-values.ts";
import { parseJsonInput } from "../query/json-input.ts";
import type { ResolvedCollection } from "../schema/schema.ts";
import { ConflictError, invalid, NotFoundError, ValidationError } from "./errors.ts";
import { readBodyText } from "./http-body-limit.ts";

/** Lifetime of the URL a direct upload is sent to. */
const URL_EXPIRES_IN = 900;

const REQUEST = z
  .object({
    filename: z.string().min(1).max(255),
    mimeType: z
      .string()
      .max(255)
      .regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/, "must be a MIME type"),
    size: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
  })
  .strict();

export function directUploadRoutes(kernel: Kernel, collection: ResolvedCollection) {
  const { engine } = kernel;
  const slug = collection.slug;
  const base = (field: string) => `${engine.prefix}/${slug}/uploads/${field}`;
  return new Elysia({ name: `@lucent/core/direct-uploads/${slug}` })
    .post(
      `/${slug}/uploads/:field`,
      async ({ request, params, set }) => {
        uploadField(collection, params.field);
        const text = await readBodyText(request, 16 * 1024);
        const parsed = REQUEST.safeParse(parseJsonInput(text));
        if (!parsed.success)
          throw new ValidationError(
            parsed.error.issues.map((i) => ({ path: i.path.join(".") || "", message: i.message })),
          );
        const { filename, mimeType, size } = parsed.data;
        const started = await startUpload({
          engine,
          collection,
          field: params.field,
          user: await kernel.ctx.resolveCaller(request),
          req: request,
          kind: "direct",
          filename,
          mimeType,
          size,
        });
        const expiresIn = Math.min(
          URL_EXPIRES_IN,
          engine.uploads.signedUrlExpiry(started.field) * 3,
        );
        const uploadUrl =
          engine.storage.capabilities.presign && engine.storage.presign
            ? await engine.storage.presign(started.key, {
                method: "PUT",
                expiresIn,
                contentType: mimeType,
              })
            : await engine.uploads.signer.sign(
                `${base(params.field)}/put/${started.key.slice(slug.length + 1)}`,
                expiresIn,
              );
        set.status = 201;
        return {
          key: started.key,
          uploadUrl,
          method: "PUT",
          headers: { "content-type": mimeType },
          expiresAt: new Date(Date.now() + expiresIn * 1000).toISOString(),
        };
      },
      { parse: "none" },
    )
    .put(
      `/${slug}/uploads/:field/put/:id`,
      async ({ request, params }) => {
        const url = new URL(request.url);
        const path = `${base(params.field)}/put/${params.id}`;
        if ((await engine.uploads.signer.verify(path, url.searchParams)) !== "ok")
          throw invalid("signature", "required");
        const key = `${slug}/${params.id}`;
        const row = await findUpload(engine.db, key);
        if (row?.kind !== "direct" || row.field !== params.field)
          throw new NotFoundError("no such upload");
        // One-time: the first PUT that starts marks it; a second is refused, however it ends.
        const claimed = await engine.db.execute(
          sql`update lucent_uploads set complete = true where key = ${key} and complete = false returning key`,
        );
        if (claimed.length === 0) throw new ConflictError("this upload URL was already used");
        const size = Number(row.size);
        if (!request.body) throw invalid("", "the body is empty");
        await engine.storage.put(
          key,
          request.body.pipeThrough(byteLimit(size, () => tooLarge(params.field, size))),
          { contentType: row.mime_type ?? "application/octet-stream" },
        );
        return new Response(null, { status: 200 });
      },
      { parse: "none" },
    );
}
