import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { kernelTypes } from "@lucent/core";
import type { TestApp } from "./helpers.ts";
import { startDemo } from "./helpers.ts";

let app: TestApp;

beforeAll(async () => {
  // The test-only collection and resolver are left out: the committed file describes the demo itself.
  app = await startDemo({ extraCollections: [], modules: [] });
});

afterAll(async () => {
  await app?.close();
});

test("the committed lucent-types.ts is exactly what the config generates", async () => {
  const { kernel } = app;
  const expected = kernelTypes(kernel.ctx.collections.values(), kernel.modules);
  const committed = await Bun.file(join(import.meta.dir, "../src/lucent-types.ts")).text();
  expect(committed).toBe(expected);
});

test("the generated types name every collection and their fields", async () => {
  const text = await Bun.file(join(import.meta.dir, "../src/lucent-types.ts")).text();
  for (const name of ["User", "Post", "Comment"]) expect(text).toContain(`export type ${name} = {`);
  expect(text).toContain('status?: "draft" | "published" | null;');
  expect(text).toContain("author?: string | User | null;");
  expect(text).toContain('"posts": { doc: Post; data: PostData; where: PostWhere };');
});
