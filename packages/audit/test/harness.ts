/** One app per test file: users (auth, with a role), notes, auth and audit, on PGlite or TEST_DATABASE_URL. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { auth } from "@lucent/auth";
import {
  type CollectionConfig,
  createKernel,
  defineCollection,
  type Kernel,
  type LucentModule,
  lucentPlugin,
} from "@lucent/core";
import { createTestDatabase } from "@lucent/test-utils";
import { audit } from "../src/module.ts";
import type { AuditOptions } from "../src/options.ts";

export const Users = defineCollection({
  slug: "users",
  auth: true,
  fields: {
    name: { type: "text" },
    role: { type: "select", options: ["admin", "user"], defaultValue: "user" },
    // Readable by the user and admins only: its value never reaches the log.
    phone: {
      type: "text",
      access: { read: ({ user, doc }) => user?.role === "admin" || user?.id === doc?.id },
    },
  },
  access: { read: ({ user }) => user !== null },
});

export const Notes = defineCollection({
  slug: "notes",
  fields: { title: { type: "text", required: true }, body: { type: "text" } },
  access: { create: ({ user }) => user !== null, update: ({ user }) => user !== null },
});

export interface App {
  kernel: Kernel;
  request(path: string, init?: RequestInit): Promise<Response>;
  json(method: string, path: string, body?: unknown, token?: string): Promise<Response>;
  /** Registers a user and returns its id and access token; `admin` makes it an admin. */
  user(email: string, admin?: boolean): Promise<{ id: string; token: string }>;
  close(): Promise<void>;
}

export const PASSWORD = "correct horse battery";

export async function startApp(
  input: { audit?: AuditOptions; collections?: CollectionConfig[]; modules?: LucentModule[] } = {},
): Promise<App> {
  const db = await createTestDatabase();
  const dir = await mkdtemp(join(tmpdir(), "lucent-audit-"));
  const kernel = await createKernel({
    db: { url: db.url },
    dataDir: dir,
    collections: input.collections ?? [Users, Notes],
    modules: [auth(), audit(input.audit), ...(input.modules ?? [])],
    typegen: { output: false },
    api: { rateLimit: false },
  });
  const app = lucentPlugin(kernel, { handleSignals: false });
  const request = (path: string, init?: RequestInit) =>
    app.handle(new Request(`http://localhost${path}`, init));
  const json = (method: string, path: string, body?: unknown, token?: string) =>
    request(path, {
      method,
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return {
    kernel,
    request,
    json,
    async user(email, admin = false) {
      const res = await json("POST", "/api/auth/register", { email, password: PASSWORD });
      const body = (await res.json()) as { user: { id: string }; accessToken: string };
      if (admin) {
        await kernel.lucent.update({
          collection: "users",
          id: body.user.id,
          data: { role: "admin" },
          overrideAccess: true,
        });
      }
      return { id: body.user.id, token: body.accessToken };
    },
    async close() {
      await kernel.stop();
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
