/** CRUD routes for every collection (CONTRACT §4), plus stored-file downloads (routes-files.ts). */
import { Elysia } from "elysia";
import type { Kernel } from "../kernel/kernel-create.ts";
import { create, update } from "../operations/operations-write.ts";
import { stageFile } from "../operations/upload-stage.ts";
import { discardStaged } from "../operations/uploads.ts";
import { assertNotDenied, resolveAccess } from "../query/access.ts";
import type { LucentUser, Where } from "../query/access-types.ts";
import { createQueryContext } from "../query/query-context.ts";
import { parseDocParams, parseListParams } from "../query/query-params.ts";
import type { ResolvedCollection } from "../schema/schema.ts";
import { readWriteBody } from "./http-body.ts";
import { serveJsonGet } from "./response-cache.ts";
import { directUploadRoutes } from "./routes-direct.ts";
import { fileRoutes } from "./routes-files.ts";
import { tusRoutes } from "./routes-tus.ts";

function collectionRoutes(kernel: Kernel, collection: ResolvedCollection) {
  const { lucent } = kernel;
  const slug = collection.slug;
  const limit = kernel.config.api.bodyLimit;
  const caller = async (request: Request) => ({
    user: await kernel.ctx.resolveCaller(request),
    req: request,
  });
  const hasUploads = collection.fields.some((f) => f.config.type === "upload");
  const { engine } = kernel;
  const scope = { db: engine.db, pending: null };
  /**
   * Before a byte of a multipart body is stored: a write the default rule refuses (no rule:
   * a signed-in user) is refused now, so an anonymous client cannot make the server store a
   * large file only to delete it. A collection's own rule may depend on the data: it is
   * checked by the write, and a refused write removes what it stored.
   */
  const refuseEarly = async (
    request: Request,
    user: LucentUser | null,
    operation: "create" | "update",
  ) => {
    if (collection.config.access?.[operation]) return;
    if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("multipart/")) return;
    const ctx = createQueryContext(engine.registry, { user, req: request });
    assertNotDenied(await resolveAccess(collection, operation, ctx), ctx, operation, slug);
  };
  /** The body, its files streamed to storage as they arrive (owned by the caller). */
  const body = (request: Request, owner: string | null) =>
    readWriteBody({
      request,
      collection,
      bodyLimit: limit,
      stage: (field, part) =>
        stageFile({
          engine,
          collection,
          field,
          body: part.body,
          filename: part.filename,
          declaredType: part.contentType,
          owner,
        }),
      discard: (staged) => discardStaged(engine, staged),
    });

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
        const query = parseDocParams(request.url);
        const who = await caller(request);
        await refuseEarly(request, who.user, "create");
        const read = await body(request, who.user?.id ?? null);
        // Straight to the operation: it takes the files the body already stored.
        const doc = await create(engine, scope, {
          collection: slug,
          data: read.data as Record<string, unknown>,
          ...(read.staged ? { staged: read.staged } : {}),
          ...query,
          ...who,
        });
        set.status = 201;
        return doc;
      },
      { parse: "none" },
    )
    .patch(
      `/${slug}/:id`,
      async ({ request, params }) => {
        const query = parseDocParams(request.url);
        const who = await caller(request);
        await refuseEarly(request, who.user, "update");
        const read = await body(request, who.user?.id ?? null);
        return update(engine, scope, {
          collection: slug,
          id: params.id,
          data: read.data as Record<string, unknown>,
          ...(read.staged ? { staged: read.staged } : {}),
          ...query,
          ...who,
        });
      },
      { parse: "none" },
    )
    .delete(`/${slug}/:id`, async ({ request, params }) => {
      parseDocParams(request.url);
      return lucent.delete({ collection: slug, id: params.id, ...(await caller(request)) });
    });

  if (!hasUploads) return app;
  return app
    .use(fileRoutes(kernel, collection))
    .use(directUploadRoutes(kernel, collection))
    .use(tusRoutes(kernel, collection));
}

export function allCollectionRoutes(kernel: Kernel) {
  const app = new Elysia({ name: "@lucent/core/collections" });
  for (const collection of kernel.ctx.collections.values())
    app.use(collectionRoutes(kernel, collection));
  return app;
}
