/**
 * The docs page: a shell that loads Scalar from our own origin and hands it
 * a configuration that turns off everything talking to Scalar's services,
 * under a Content-Security-Policy that allows this origin only.
 */

export interface DocsPageOptions {
  title: string;
  /** URL of the OpenAPI document. */
  documentUrl: string;
  scriptUrls: readonly string[];
}

/** Scalar's configuration (keys of @scalar/api-reference 1.72's `createApiReference`). */
export function scalarConfiguration(options: DocsPageOptions): Record<string, unknown> {
  return {
    url: options.documentUrl,
    title: options.title,
    // Fonts would come from fonts.scalar.com; the page uses the system's.
    withDefaultFonts: false,
    // "Ask AI" and "Generate MCP" are services of Scalar's.
    agent: { disabled: true },
    mcp: { disabled: true },
    // The developer tools hold "Share" and "Deploy", which upload the document to Scalar.
    showDeveloperTools: "never",
    showToolbar: "never",
    telemetry: false,
    hideClientButton: true,
    isEditable: false,
    persistAuth: false,
    pluginUrls: [],
    documentDownloadType: "json",
  };
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export function docsPage(options: DocsPageOptions): string {
  const configuration = escapeHtml(JSON.stringify(scalarConfiguration(options)));
  const scripts = options.scriptUrls
    .map((src) => `    <script src="${escapeHtml(src)}"></script>`)
    .join("\n");
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${escapeHtml(options.title)}</title>
    <link rel="icon" href="data:," />
  </head>
  <body>
    <div id="lucent-docs" data-configuration="${configuration}"></div>
${scripts}
  </body>
</html>
`;
}

/**
 * Only this origin (and the API servers the document names, for "Test
 * request"); inline styles because Scalar injects its CSS at run time.
 */
export function docsCsp(connectOrigins: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${["'self'", ...connectOrigins].join(" ")}`,
    "worker-src 'self' blob:",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}
