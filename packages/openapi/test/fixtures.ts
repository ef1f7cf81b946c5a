/**
 * Collections that use all 14 field types, and a way to start Lucent with
 * them and a few modules on one in-memory database shared by a test file.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CollectionConfig, DatabaseAdapter, Kernel, LucentModule } from "@lucent/core";
import { createDatabase, createLogger, defineCollection, lucent } from "@lucent/core";
import { Elysia } from "elysia";
import { z } from "zod";

const open = { read: () => true, create: () => true, update: () => true, delete: () => true };

export const People = defineCollection({
  slug: "people",
  auth: true,
  access: open,
  fields: {
    email: { type: "email", required: true, unique: true },
    password: { type: "password", required: true },
    name: { type: "text", maxLength: 80, description: "Shown next to what they write" },
  },
});

export const Articles = defineCollection({
  slug: "articles",
  access: open,
  fields: {
    title: { type: "text", required: true, minLength: 1, maxLength: 200 },
    contact: { type: "email" },
    secret: { type: "password" },
    body: { type: "richtext" },
    views: { type: "integer", min: 0, defaultValue: 0 },
    score: { type: "number", max: 10 },
    pinned: { type: "boolean" },
    publishedAt: { type: "date" },
    status: { type: "select", options: ["draft", "published"], defaultValue: "draft" },
    labels: { type: "multiselect", options: ["a", "b"] },
    extra: { type: "json", schema: z.object({ color: z.string() }) },
    links: {
      type: "array",
      fields: { url: { type: "text", required: true }, label: { type: "text" } },
    },
    author: { type: "relationship", relationTo: "people" },
    reviewers: { type: "relationship", relationTo: "people", hasMany: true },
    image: { type: "upload", mimeTypes: ["image/png", "image/jpeg"] },
  },
});

/** A module with routes, their description and a credential, the way @lucent/auth contributes its own. */
export const widgets = {
  name: "@acme/widgets",
  setup: () => ({
    routes: new Elysia({ name: "@acme/widgets" }).get("/widgets/ping", () => ({ pong: true })),
    openapi: () => ({
      paths: {
        "/widgets/ping": {
          get: {
            operationId: "pingWidgets",
            tags: ["widgets"],
            responses: { 200: { description: "pong" } },
          },
        },
      },
      tags: [{ name: "widgets" }],
      components: {
        securitySchemes: { widgetKey: { type: "apiKey", in: "header", name: "x-widget-key" } },
      },
    }),
  }),
} satisfies LucentModule;

export interface TestLucent {
  app: Elysia;
  kernel: Kernel;
  handle(path: string, init?: RequestInit): Promise<Response>;
  json<T = unknown>(path: string): Promise<T>;
}

export interface Shared {
  start(modules: readonly LucentModule[]): Promise<TestLucent>;
  close(): Promise<void>;
}

/** One database per test file; every `start` migrates into it (additive) and shares it. */
export async function sharedLucent(
  collections: readonly CollectionConfig[] = [People, Articles],
): Promise<Shared> {
  const dataDir = mkdtempSync(join(tmpdir(), "lucent-openapi-pkg-"));
  const db: DatabaseAdapter = await createDatabase({ url: "memory://", dataDir });
  const kernels: Kernel[] = [];
  return {
    async start(modules) {
      const app = new Elysia().use(
        await lucent(
          {
            db: { adapter: db },
            dataDir,
            logger: createLogger({ level: "silent" }),
            typegen: { output: false },
            collections,
            modules,
          },
          { handleSignals: false },
        ),
      );
      const kernel = (app.decorator as { lucentKernel: Kernel }).lucentKernel;
      kernels.push(kernel);
      const handle = (path: string, init?: RequestInit) =>
        app.handle(new Request(`http://localhost${path}`, init));
      return {
        app: app as unknown as Elysia,
        kernel,
        handle,
        json: async <T>(path: string) => (await (await handle(path)).json()) as T,
      };
    },
    async close() {
      for (const kernel of kernels) await kernel.stop();
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
