/** `openapi(options)`: the module object the kernel installs. */
import type { KernelContext, LucentModule, OpenApiFragment } from "@lucent/core";
import { docsPaths } from "./core-paths.ts";
import { docsPath, type OpenApiOptions, optionsSchema, resolveOptions } from "./options.ts";
import { docsRoutes } from "./routes.ts";
import { assetNames, type DocsAssets, docsAssets } from "./scalar-assets.ts";

export function openapi(options: OpenApiOptions = {}) {
  let assets: DocsAssets | undefined;
  // Located when routes are mounted, so a missing Scalar bundle stops startup with a clear message.
  const getAssets = () => {
    assets ??= docsAssets();
    return assets;
  };
  return {
    name: "@lucent/openapi",
    optionsSchema,
    options,
    routes: (ctx: KernelContext) =>
      docsRoutes({
        ctx,
        options: resolveOptions(options),
        path: docsPath(options.path, ctx.prefix),
        assets: getAssets(),
      }),
    openapi: (ctx: KernelContext): OpenApiFragment => ({
      // Untagged and hidden from the UI, but listed, so the document names every served route.
      paths: docsPaths(docsPath(options.path, ctx.prefix), assetNames(getAssets())),
    }),
  } satisfies LucentModule;
}
