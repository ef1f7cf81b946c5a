/** CRUD routes for every collection (CONTRACT §4), plus stored-file downloads. */
import { Elysia } from "elysia";
import type { Kernel } from "../kernel/kernel-create.ts";
import type { Where } from "../query/access-types.ts";
import { parseDocParams, parseListParams } from "../query/query-params.ts";
import type { ResolvedCollection } from "../schema/schema.ts";
import { NotFoundError } from "./errors.ts";
import { readWriteBody } from "./http-body.ts";
import { serveJsonGet } from "./response-cache.ts";

function collectionRoutes(kernel: Kernel, collection: ResolvedCollection) {
  const { lucent } = kernel;
  const slug = collection.slug;
  const limit = kernel.config.api.bodyLimit;
  const caller = async (request: Request) => ({
    user: await kernel.ctx.resolveCaller(request),
    req: request,
  });
  const hasUploads = collection.fields.some((f) => f.config.type === "upload");

  const app = new Elysia({ name: `@lucent/core/collection/${slug}` })
    .get(`/${slug}`, async ({ request }) => {
      const { where, ...rest } = parseListParams(request.url);
      const who = await caller(request);
      return serveJsonGet({
        request,
        cache: kernel.responseCache,
        cacheKey: `${who.user?.id ?? ""} ${request.url}`,
        compute: () =>
          lucent.find({ collection: slug, ...rest, where: where as Where | undefined, ...who }),
      });
    })
    .get(`/${slug}/:id`, async ({ request, params }) => {
      const query = parseDocParams(request.url);
      const who = await caller(request);
      return serveJsonGet({
        request,
        cache: kernel.responseCache,
        cacheKey: `${who.user?.id ?? ""} ${request.url}`,
        compute: () => lucent.findById({ collection: slug, id: params.id, ...query, ...who }),
      });
    })
    .post(
      `/${slug}`,
      async ({ request, set }) => {
        const body = await readWriteBody(request, collection, limit);
        const query = parseDocParams(request.url);
        const doc = await lucent.create({
          collection: slug,
          data: body.data as Record<string, unknown>,
          ...(body.files ? { files: body.files } : {}),
          ...query,
          ...(await caller(request)),
        });
        set.status = 201;
        return doc;
      },
      { parse: "none" },
    )
    .patch(
      `/${slug}/:id`,
      async ({ request, params }) => {
        const body = await readWriteBody(request, collection, limit);
        const query = parseDocParams(request.url);
        return lucent.update({
          collection: slug,
          id: params.id,
          data: body.data as Record<string, unknown>,
          ...(body.files ? { files: body.files } : {}),
          ...query,
          ...(await caller(request)),
        });
      },
      { parse: "none" },
    )
    .delete(`/${slug}/:id`, async ({ request, params }) => {
      parseDocParams(request.url);
      return lucent.delete({ collection: slug, id: params.id, ...(await caller(request)) });
    });

  if (!hasUploads) return app;
  return app.get(`/${slug}/:id/:field`, async ({ request, params }) => {
    const field = collection.fieldMap.get(params.field);
    if (field?.config.type !== "upload") throw new NotFoundError("no such upload field");
    parseDocParams(request.url);
    const doc = await lucent.findById({
      collection: slug,
      id: params.id,
      select: [field.name],
      ...(await caller(request)),
    });
    const value = doc[field.name] as
      | { key?: string; mimeType?: string; filename?: string }
      | null
      | undefined;
    if (!value?.key) throw new NotFoundError("no file stored in this field");
    const file = await kernel.ctx.storage.get(value.key);
    if (!file) throw new NotFoundError("the stored file is missing");
    const type = value.mimeType ?? "application/octet-stream";
    // Only images are shown inline; anything else downloads, so a stored HTML file cannot run in our origin.
    const disposition =
      type.startsWith("image/") && type !== "image/svg+xml" ? "inline" : "attachment";
    return new Response(file.body, {
      headers: {
        "content-type": type,
        "content-length": String(file.size),
        "content-disposition": `${disposition}; filename="${encodeURIComponent(value.filename ?? "file")}"`,
        "cache-control": "private, no-cache",
      },
    });
  });
}

export function allCollectionRoutes(kernel: Kernel) {
  const app = new Elysia({ name: "@lucent/core/collections" });
  for (const collection of kernel.ctx.collections.values())
    app.use(collectionRoutes(kernel, collection));
  return app;
}
