import { expect, test } from "bun:test";
import type { DatabaseAdapter } from "../drivers/drivers.ts";
import { localStorage } from "../drivers/storage-local.ts";
import { createLogger } from "../kernel/logger.ts";
import { defineCollection } from "../schema/collection.ts";
import { resolveCollection } from "../schema/schema.ts";
import { createUploadServices } from "./upload-services.ts";

test("regression: without an upload field the sweeper never queries (there is no lucent_uploads table)", async () => {
  const db = {
    execute: () => Promise.reject(new Error("no query expected")),
    transaction: () => Promise.reject(new Error("no transaction expected")),
  } as unknown as DatabaseAdapter;
  const services = await createUploadServices({
    collections: [
      resolveCollection(defineCollection({ slug: "notes", fields: { title: { type: "text" } } })),
    ],
    db,
    storage: localStorage({ dir: "/tmp/uploads-helper/unused" }),
    logger: createLogger({ level: "silent" }),
    secret: async () => "x".repeat(32),
  });
  expect(await services.sweeper.sweep()).toBe(0);
});
