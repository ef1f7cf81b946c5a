/**
 * Removes what no document holds once its row in `lucent_uploads` expires:
 * files a crashed or rolled-back write staged, direct uploads never claimed,
 * tus uploads never finished (with their chunks). Rows are taken with
 * `skip locked`, so instances sweeping at once never fight over one.
 */
import { sql } from "drizzle-orm";
import type { DatabaseAdapter, StorageDriver } from "../drivers/drivers.ts";
import type { Logger } from "../kernel/logger.ts";
import { UPLOADS_TABLE_NAME, type UploadRow } from "./upload-table.ts";

export interface UploadSweeper {
  /** One pass; returns how many uploads it removed. */
  sweep(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

export function createUploadSweeper(input: {
  db: DatabaseAdapter;
  storage: StorageDriver;
  logger: Logger;
  /** @default 60_000 */
  intervalMs?: number;
}): UploadSweeper {
  let timer: ReturnType<typeof setInterval> | undefined;
  let running: Promise<number> | undefined;
  const T = sql.identifier(UPLOADS_TABLE_NAME);
  const pass = async (): Promise<number> => {
    let removed = 0;
    for (;;) {
      const n = await input.db.transaction(async (tx) => {
        const rows = await tx.execute<UploadRow & Record<string, unknown>>(
          sql`select * from ${T} where expires_at <= now() order by expires_at limit 100 for update skip locked`,
        );
        for (const row of rows) {
          const keys = [row.key, ...(row.parts ?? []).map((p) => p.key)];
          for (const key of keys) await input.storage.delete(key);
        }
        if (rows.length)
          await tx.execute(
            sql`delete from ${T} where key = any(${sql.param(rows.map((r) => r.key))}::text[])`,
          );
        return rows.length;
      });
      removed += n;
      if (n < 100) return removed;
    }
  };
  const sweep = () => {
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  };
  return {
    sweep,
    start() {
      const tick = () =>
        void sweep().catch((err) => input.logger.warn({ err }, "sweeping expired uploads failed"));
      tick();
      timer = setInterval(tick, input.intervalMs ?? 60_000);
      timer.unref?.();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running?.catch(() => {});
    },
  };
}
