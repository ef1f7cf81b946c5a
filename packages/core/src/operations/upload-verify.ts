/**
 * Before a write takes a direct or tus upload, the server looks at the
 * object itself: it must exist, have the size that was declared and allowed,
 * and bytes of a type the field accepts (CONTRACT §11). What the client said
 * when it asked for the upload URL is not evidence.
 */
import { LucentError, ValidationError } from "../http/errors.ts";
import type { Engine } from "../kernel/engine.ts";
import type { ResolvedCollection } from "../schema/schema.ts";
import { judgeType, SNIFF_BYTES } from "./mime-sniff.ts";
import type { StagedFile } from "./upload-stage.ts";
import type { UploadRow } from "./upload-table.ts";
import { cleanName, DEFAULT_MAX_UPLOAD, mimeAllowed, uploadField } from "./upload-values.ts";

export async function verifyUploadedObject(
  engine: Engine,
  collection: ResolvedCollection,
  name: string,
  row: UploadRow,
): Promise<StagedFile> {
  const field = uploadField(collection, name);
  const refuse = (message: string) => new ValidationError([{ path: name, message }]);
  if (row.kind === "tus" && !row.complete) throw refuse("the upload is not finished");
  const info = await engine.storage.head(row.key);
  if (!info) throw refuse("nothing was uploaded under this key");
  const maxSize = field.maxSize ?? DEFAULT_MAX_UPLOAD;
  if (info.size > maxSize)
    throw new LucentError("PAYLOAD_TOO_LARGE", `${name} is larger than ${maxSize} bytes`, {
      details: [{ path: name, message: `at most ${maxSize} bytes` }],
    });
  if (row.size !== null && Number(row.size) !== info.size)
    throw refuse(`the uploaded object has ${info.size} bytes, not the ${row.size} declared`);
  let head = new Uint8Array(0);
  if (info.size > 0) {
    const found = await engine.storage.get(row.key, {
      range: { start: 0, end: Math.min(info.size, SNIFF_BYTES) - 1 },
    });
    if (!found) throw refuse("nothing was uploaded under this key");
    head = await Bun.readableStreamToBytes(found.body);
  }
  const mimeType = await judgeType(head, row.mime_type ?? "", field.mimeTypes);
  if (!mimeAllowed(mimeType, field.mimeTypes))
    throw refuse(`type ${mimeType} is not accepted (${field.mimeTypes?.join(", ")})`);
  return {
    field: name,
    key: row.key,
    filename: cleanName(row.filename ?? "file"),
    mimeType,
    size: info.size,
  };
}
