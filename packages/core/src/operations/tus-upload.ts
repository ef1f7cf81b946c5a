/**
 * tus uploads over any storage driver: each PATCH is stored as a chunk object
 * of its own (`lucent-tus/<uuid>`). The chunk's key is listed in
 * `lucent_uploads` before its first byte is stored (size -1: not counted),
 * and counted with the new offset only once it is whole, so an interrupted
 * PATCH or a killed instance leaves the offset of the last whole chunk, any
 * instance can resume from it, and no chunk object is ever unlisted. When
 * the last byte arrives the chunks are streamed into the upload's key once,
 * in order, and removed.
 */
import { sql } from "drizzle-orm";
import { ConflictError, NotFoundError } from "../http/errors.ts";
import type { Engine } from "../kernel/engine.ts";
import { byteLimit, tooLarge } from "./upload-stage.ts";
import { UPLOADS_TABLE_NAME, type UploadRow } from "./upload-table.ts";

const T = sql.identifier(UPLOADS_TABLE_NAME);

export interface TusState {
  offset: number;
  length: number;
  complete: boolean;
  expiresAt: Date;
}

export function tusState(row: UploadRow): TusState {
  return {
    offset: Number(row.received),
    length: Number(row.size),
    complete: row.complete,
    expiresAt: new Date(row.expires_at),
  };
}

/** The parts, one after another, as one stream. */
function concatenated(
  engine: Engine,
  parts: ReadonlyArray<{ key: string }>,
): ReadableStream<Uint8Array> {
  let index = 0;
  let current: ReadableStreamDefaultReader<Uint8Array> | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        for (;;) {
          if (!current) {
            const part = parts[index++];
            if (!part) return controller.close();
            const found = await engine.storage.get(part.key);
            if (!found) throw new Error(`tus chunk ${part.key} is missing`);
            current = found.body.getReader();
          }
          const { done, value } = await current.read();
          if (!done) return controller.enqueue(value);
          current = undefined;
        }
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * Writes the finished upload under its key from its whole chunks, in order,
 * and drops every chunk, those a killed request left unfinished included.
 */
async function assemble(
  engine: Engine,
  row: UploadRow,
  parts: Array<{ key: string; size: number }>,
) {
  const whole = parts.filter((p) => p.size > 0);
  await engine.storage.put(row.key, concatenated(engine, whole), {
    contentType: row.mime_type ?? "application/octet-stream",
  });
  await engine.db.execute(
    sql`update ${T} set complete = true, parts = '[]'::jsonb where key = ${row.key}`,
  );
  await engine.storageDelete(parts.map((p) => p.key));
}

/** Stores one PATCH at `offset`; returns the new state. 409 when the offset is not the upload's. */
export async function appendChunk(
  engine: Engine,
  row: UploadRow,
  offset: number,
  body: ReadableStream<Uint8Array>,
): Promise<TusState> {
  const state = tusState(row);
  if (state.complete || offset !== state.offset)
    throw new ConflictError(`Upload-Offset must be ${state.offset}`);
  const left = state.length - state.offset;
  const chunkKey = `lucent-tus/${crypto.randomUUID()}`;
  const listed = JSON.stringify([{ key: chunkKey, size: -1 }]);
  await engine.db.execute(
    sql`update ${T} set parts = coalesce(parts, '[]'::jsonb) || ${listed}::text::jsonb where key = ${row.key}`,
  );
  const unlist = async () => {
    await engine.storageDelete([chunkKey]);
    const drop = JSON.stringify({ key: chunkKey, size: -1 });
    await engine.db.execute(
      sql`update ${T} set parts = coalesce((select jsonb_agg(p) from jsonb_array_elements(parts) p
          where p <> ${drop}::text::jsonb), '[]'::jsonb) where key = ${row.key}`,
    );
  };
  let size: number;
  try {
    ({ size } = await engine.storage.put(
      chunkKey,
      body.pipeThrough(byteLimit(left, () => tooLarge(row.field, state.length))),
      { contentType: "application/octet-stream" },
    ));
  } catch (error) {
    await unlist().catch(() => {});
    throw error;
  }
  // The chunk counts only if no other PATCH moved the offset meanwhile.
  const updated = await engine.db.transaction(async (tx) => {
    const rows = await tx.execute<UploadRow & Record<string, unknown>>(
      sql`select * from ${T} where key = ${row.key} and expires_at > now() for update`,
    );
    const now = rows[0];
    if (!now || Number(now.received) !== offset || now.complete) return null;
    const parts = (now.parts ?? []).map((p) => (p.key === chunkKey ? { key: chunkKey, size } : p));
    const [next] = await tx.execute<UploadRow & Record<string, unknown>>(
      sql`update ${T} set received = received + ${size}, parts = ${JSON.stringify(parts)}::text::jsonb
          where key = ${row.key} returning *`,
    );
    return next as UploadRow;
  });
  if (!updated) {
    await unlist().catch(() => {});
    throw new ConflictError("the upload moved on while this chunk arrived; ask for its offset");
  }
  if (Number(updated.received) === Number(updated.size)) {
    await assemble(engine, updated, updated.parts ?? []);
    return { ...tusState(updated), complete: true };
  }
  return tusState(updated);
}

/** An empty upload is whole as soon as it is created. */
export async function completeEmpty(engine: Engine, row: UploadRow): Promise<void> {
  await assemble(engine, row, []);
}

/** Termination: the row goes, then its chunks and any assembled object. */
export async function terminate(engine: Engine, row: UploadRow): Promise<void> {
  const gone = await engine.db.execute(sql`delete from ${T} where key = ${row.key} returning key`);
  if (gone.length === 0) throw new NotFoundError("no such upload");
  await engine.storageDelete([row.key, ...(row.parts ?? []).map((p) => p.key)]);
}
