/** `openapi(options)`: the module object the kernel installs. */
import type { KernelContext, LucentModule, OpenApiFragment } from "@lucent/core";
import { docsPaths } from "./core-paths.ts";
import { docsPath, type OpenApiOptions, optionsSchema, resolveOptions } from "./options.ts";
import { docsRoutes } from "./routes.ts";
import { assetNames, docsAssets } from "./scalar-assets.ts";

declare module "@lucent/core" {
  /** `openapi: { path }` at the top of a config (CONTRACT §1's short form). */
  interface ShortFormOptions {
    openapi: OpenApiOptions;
  }
}

export function openapi(options: OpenApiOptions = {}) {
  return {
    name: "@lucent/openapi",
    optionsSchema,
    options,
    setup(ctx: KernelContext) {
      // Located at setup, so a missing Scalar bundle stops startup with a clear message.
      const assets = docsAssets();
      const path = docsPath(options.path, ctx.prefix);
      return {
        routes: docsRoutes({ ctx, options: resolveOptions(options), path, assets }),
        openapi: (): OpenApiFragment => ({
          // Untagged and hidden from the UI, but listed, so the document names every served route.
          paths: docsPaths(path, assetNames(assets)),
        }),
      };
    },
  } satisfies LucentModule;
}
