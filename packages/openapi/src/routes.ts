/** `GET <docs>` (the page), `GET <docs>/json` (the document) and `GET <docs>/assets/:file`. */
import type { KernelContext } from "@lucent/core";
import { NotFoundError } from "@lucent/core";
import { Elysia } from "elysia";
import { buildDocument } from "./document.ts";
import type { ResolvedOpenApiOptions } from "./options.ts";
import type { DocsAsset, DocsAssets } from "./scalar-assets.ts";
import { docsCsp, docsPage } from "./scalar-page.ts";

export interface DocsRoutesOptions {
  ctx: KernelContext;
  options: ResolvedOpenApiOptions;
  /** Below the prefix, e.g. `/docs`. */
  path: string;
  assets: DocsAssets;
}

const IMMUTABLE = "public, max-age=31536000, immutable";

function originsOf(servers: ReadonlyArray<{ url: string }>): string[] {
  const origins = new Set<string>();
  for (const { url } of servers) {
    // Relative server URLs are this origin, already allowed.
    if (URL.canParse(url)) origins.add(new URL(url).origin);
  }
  return [...origins];
}

export function docsRoutes({ ctx, options, path, assets }: DocsRoutesOptions) {
  const base = `${ctx.prefix}${path}`;
  const byName = new Map<string, DocsAsset>([assets.scalar, assets.init].map((a) => [a.name, a]));
  const page = docsPage({
    title: options.title,
    documentUrl: `${base}/json`,
    scriptUrls: [`${base}/assets/${assets.scalar.name}`, `${base}/assets/${assets.init.name}`],
  });
  const csp = docsCsp(originsOf(options.servers));

  // Built on first request: by then every module is set up and has its collections.
  let json: Promise<string> | undefined;
  const documentJson = () => {
    json ??= buildDocument({ ctx, options }).then(
      (doc) => JSON.stringify(doc),
      (error: unknown) => {
        json = undefined;
        throw error;
      },
    );
    return json;
  };

  return new Elysia({ name: "@lucent/openapi", seed: base })
    .get(path, ({ set }) => {
      set.headers["content-type"] = "text/html; charset=utf-8";
      set.headers["cache-control"] = "no-cache";
      // Replaces core's `default-src 'none'`, which would stop the page's own scripts.
      set.headers["content-security-policy"] = csp;
      return page;
    })
    .get(`${path}/json`, async ({ set }) => {
      const body = await documentJson();
      set.headers["content-type"] = "application/json; charset=utf-8";
      set.headers["cache-control"] = "no-cache";
      return body;
    })
    .get(`${path}/assets/:file`, ({ params, request, set }) => {
      const asset = byName.get(params.file);
      if (!asset) throw new NotFoundError("no such asset");
      set.headers["cache-control"] = IMMUTABLE;
      set.headers.etag = asset.etag;
      if (request.headers.get("if-none-match") === asset.etag) {
        set.status = 304;
        return "";
      }
      set.headers["content-type"] = asset.contentType;
      return "path" in asset.body ? Bun.file(asset.body.path) : asset.body.text;
    });
}
