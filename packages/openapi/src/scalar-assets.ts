/**
 * The scripts the docs page loads, served by Lucent itself so the page works
 * with no internet: Scalar's single-file browser bundle from the installed
 * `@scalar/api-reference`, and the few lines that start it. Both are named
 * by version or content, so they can be cached for good.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface DocsAsset {
  name: string;
  contentType: string;
  /** A file on disk, or the text itself. */
  body: { path: string } | { text: string };
  etag: string;
}

export interface DocsAssets {
  scalar: DocsAsset;
  init: DocsAsset;
}

/** Mounts the reference on the element that carries its configuration (see scalar-page.ts). */
export const INIT_SCRIPT = `(function () {
  var el = document.getElementById("lucent-docs");
  var config = JSON.parse(el.getAttribute("data-configuration"));
  window.Scalar.createApiReference("#lucent-docs", config);
})();
`;

const JS = "text/javascript; charset=utf-8";

export const INIT_NAME = `init-${Bun.hash(INIT_SCRIPT).toString(16).slice(0, 12)}.js`;

/** Finds the standalone bundle; a missing one is a startup error that says what to install. */
export function locateScalar(): { path: string; version: string } {
  let entry: string;
  try {
    entry = import.meta.resolve("@scalar/api-reference");
  } catch {
    throw new Error(
      "@lucent/openapi: @scalar/api-reference is not installed (bun add @scalar/api-reference)",
    );
  }
  // The package's exports map has no ./package.json; both files sit at fixed places from its entry.
  const path = fileURLToPath(new URL("./browser/standalone.js", entry));
  const pkg = fileURLToPath(new URL("../package.json", entry));
  if (!existsSync(path) || !existsSync(pkg)) {
    throw new Error(`@lucent/openapi: @scalar/api-reference has no browser bundle at ${path}`);
  }
  const { version } = JSON.parse(readFileSync(pkg, "utf8")) as { version: string };
  return { path, version };
}

export function docsAssets(): DocsAssets {
  const { path, version } = locateScalar();
  const scalarName = `scalar-api-reference-${version}.js`;
  return {
    scalar: { name: scalarName, contentType: JS, body: { path }, etag: `"${scalarName}"` },
    init: { name: INIT_NAME, contentType: JS, body: { text: INIT_SCRIPT }, etag: `"${INIT_NAME}"` },
  };
}

/** Asset names as they appear in URLs, before anything is resolved (for the document). */
export function assetNames(assets: DocsAssets): string[] {
  return [assets.scalar.name, assets.init.name];
}
