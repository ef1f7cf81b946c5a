/**
 * The Lucent site's front-page config, as written there (CONTRACT §1's short
 * form): `db.adapter`, top-level `auth` and `openapi` keys, collections as an
 * object. It starts and serves what it lists.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineCollection, defineLucentConfig, lucent } from "@lucent/core";
import { createTestDatabase, type TestDatabase } from "@lucent/test-utils";
import { Elysia } from "elysia";

const Users = defineCollection({ slug: "users", auth: true, fields: { name: { type: "text" } } });
const Posts = defineCollection({
  slug: "posts",
  fields: { title: { type: "text", required: true } },
  access: { read: () => true, create: ({ user }) => user !== null },
});

let db: TestDatabase;
let dataDir: string;
let app: { handle(request: Request): Promise<Response>; stop(): Promise<void> };

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), "lucent-short-form-"));
  const config = defineLucentConfig({
    db:
      db.kind === "postgres"
        ? { adapter: "postgres", url: db.url }
        : { adapter: "pglite", url: "memory://" },
    dataDir,
    typegen: { output: false },
    auth: {
      strategies: ["jwt", "session", "apiKey"],
      jwt: { secret: "a-front-page-secret-of-at-least-32-bytes!" },
    },
    openapi: { enabled: true, path: "/api/docs" },
    collections: { Users, Posts },
  });
  const plugin = await lucent(config, { handleSignals: false });
  const server = new Elysia().use(plugin);
  app = { handle: (r) => server.handle(r), stop: () => plugin.decorator.lucentKernel.stop() };
});

afterAll(async () => {
  await app.stop();
  await db.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const call = (path: string, init?: RequestInit) =>
  app.handle(new Request(`http://localhost${path}`, init));

test("the site's short form starts, and serves auth, the docs and the collection", async () => {
  const registered = await call("/api/auth/register", {
    method: "POST",
    headers: { "content-type": "application/json", origin: "http://localhost" },
    body: JSON.stringify({ email: "site@example.com", password: "correct horse battery" }),
  });
  expect(registered.status).toBe(201);
  const { accessToken } = (await registered.json()) as { accessToken: string };
  const created = await call("/api/posts", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ title: "From the front page" }),
  });
  expect(created.status).toBe(201);
  const list = (await (await call("/api/posts")).json()) as { totalDocs: number };
  expect(list.totalDocs).toBe(1);
  expect((await call("/api/docs")).status).toBe(200);
  const doc = (await (await call("/api/docs/json")).json()) as {
    paths: Record<string, unknown>;
  };
  expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/auth/login", "/api/posts"]));
});
