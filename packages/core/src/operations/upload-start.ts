/**
 * Starting a direct or tus upload: the collection's create access, the
 * field's limits checked against what the client declares (the object itself
 * is checked again when a write claims it), and a row in `lucent_uploads`
 * that expires unless a write takes the key first.
 */

import { invalid } from "../http/errors.ts";
import type { Engine } from "../kernel/engine.ts";
import { assertNotDenied, resolveAccess } from "../query/access.ts";
import type { LucentUser } from "../query/access-types.ts";
import { createQueryContext } from "../query/query-context.ts";
import { FALSE } from "../query/where-parse.ts";
import type { UploadField } from "../schema/fields.ts";
import type { ResolvedCollection } from "../schema/schema.ts";
import { tooLarge } from "./upload-stage.ts";
import { recordUpload, type UploadRow } from "./upload-table.ts";
import { cleanName, DEFAULT_MAX_UPLOAD, mimeAllowed, uploadField } from "./upload-values.ts";

/** How long a direct or tus upload may wait for the write that takes it. @default 24 h */
export const UPLOAD_EXPIRES_IN = 24 * 3600;

export interface StartUploadInput {
  engine: Engine;
  collection: ResolvedCollection;
  field: string;
  user: LucentUser | null;
  req: Request;
  kind: Extract<UploadRow["kind"], "direct" | "tus">;
  filename: string | undefined;
  mimeType: string | undefined;
  size: number;
  metadata?: Record<string, string>;
}

export interface StartedUpload {
  key: string;
  field: UploadField;
  expiresAt: Date;
}

export async function startUpload(input: StartUploadInput): Promise<StartedUpload> {
  const { engine, collection } = input;
  const field = uploadField(collection, input.field);
  const ctx = createQueryContext(engine.registry, { user: input.user, req: input.req });
  const access = await resolveAccess(collection, "create", ctx, { data: {} });
  assertNotDenied(access.kind === "const" ? access : FALSE, ctx, "create", collection.slug);
  const maxSize = field.maxSize ?? DEFAULT_MAX_UPLOAD;
  if (input.size > maxSize) throw tooLarge(input.field, maxSize);
  // The declared type is only a first answer: the bytes decide when the key is claimed.
  if (input.mimeType !== undefined && !mimeAllowed(input.mimeType, field.mimeTypes))
    throw invalid(
      "mimeType",
      `type ${input.mimeType} is not accepted (${field.mimeTypes?.join(", ")})`,
    );
  const key = `${collection.slug}/${Bun.randomUUIDv7()}`;
  await recordUpload(engine.db, {
    key,
    collection: collection.slug,
    field: input.field,
    kind: input.kind,
    owner: input.user?.id ?? null,
    filename: cleanName(input.filename ?? "file"),
    mimeType: input.mimeType,
    size: input.size,
    metadata: input.metadata,
    expiresIn: UPLOAD_EXPIRES_IN,
  });
  return { key, field, expiresAt: new Date(Date.now() + UPLOAD_EXPIRES_IN * 1000) };
}
