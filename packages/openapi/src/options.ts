/** The module's options, checked by the kernel at startup like the rest of the config. */
import { z } from "zod";

export interface OpenApiOptions {
  /**
   * Where the docs are served, below the API prefix: the UI at `path`, the
   * document at `path/json`. A path that repeats the prefix (`/api/docs`) means the same.
   * @default "/docs"
   */
  path?: string;
  /** The document's `info.title`. @default "Lucent API" */
  title?: string;
  /** The document's `info.version` (your API's version). @default "1.0.0" */
  version?: string;
  /** The document's `info.description`. @default a short note on the API's conventions */
  description?: string;
  /** The document's `servers`; without them clients use the origin the document came from. @default [] */
  servers?: ReadonlyArray<{ url: string; description?: string }>;
}

export const optionsSchema = z.strictObject({
  path: z
    .string()
    .regex(/^\/[A-Za-z0-9._~/-]*$/, "must start with / and hold only URL path characters")
    .optional(),
  title: z.string().min(1).optional(),
  version: z.string().min(1).optional(),
  description: z.string().optional(),
  servers: z
    .array(z.strictObject({ url: z.string().min(1), description: z.string().optional() }))
    .optional(),
});

export interface ResolvedOpenApiOptions {
  title: string;
  version: string;
  description: string;
  servers: Array<{ url: string; description?: string }>;
}

export function resolveOptions(options: OpenApiOptions): ResolvedOpenApiOptions {
  return {
    title: options.title ?? "Lucent API",
    version: options.version ?? "1.0.0",
    description:
      options.description ??
      "Every error has the shape `{ error: { code, message, details?, requestId } }`. Lists take page, limit, sort, where, depth and select.",
    servers: (options.servers ?? []).map((s) => ({ ...s })),
  };
}

/** The docs path below the prefix: `/api/docs` and `/docs` are the same place under `/api`. */
export function docsPath(path: string | undefined, prefix: string): string {
  let p = (path ?? "/docs").replace(/\/+$/, "");
  if (prefix && (p === prefix || p.startsWith(`${prefix}/`))) p = p.slice(prefix.length);
  if (!p || p === "/")
    throw new Error(`@lucent/openapi: options.path must name a path below ${prefix || "/"}`);
  return p;
}
