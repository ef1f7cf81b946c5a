/** One app per test file: users (auth, with a role), notes, auth and webhooks, on PGlite or TEST_DATABASE_URL. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { auth } from "@lucent/auth";
import {
  type CollectionConfig,
  createKernel,
  createLogger,
  defineCollection,
  type Kernel,
  type Logger,
  type LucentModule,
  lucentPlugin,
} from "@lucent/core";
import { createTestDatabase, type TestDatabase } from "@lucent/test-utils";
import { webhooks } from "../src/module.ts";
import type { WebhooksOptions } from "../src/options.ts";
import { queueModules } from "./queue-driver.ts";

export const Users = defineCollection({
  slug: "users",
  auth: true,
  fields: {
    name: { type: "text" },
    role: { type: "select", options: ["admin", "user"], defaultValue: "user" },
  },
  access: { read: ({ user }) => user !== null },
});

export const Notes = defineCollection({
  slug: "notes",
  fields: { title: { type: "text", required: true }, body: { type: "text" } },
  access: { create: () => true, update: () => true, delete: () => true },
});

export const Tags = defineCollection({ slug: "tags", fields: { name: { type: "text" } } });

/** Quick retries for tests: 100 ms, 200 ms, 400 ms... */
export const FAST = { backoff: { type: "exponential", delay: 100 }, timeoutMs: 2000 } as const;

export interface App {
  kernel: Kernel;
  dataDir: string;
  request(path: string, init?: RequestInit): Promise<Response>;
  json(method: string, path: string, body?: unknown, token?: string): Promise<Response>;
  user(email: string, admin?: boolean): Promise<{ id: string; token: string }>;
  close(): Promise<void>;
}

export async function startApp(
  input: {
    webhooks?: WebhooksOptions;
    collections?: CollectionConfig[];
    modules?: LucentModule[];
    db?: TestDatabase;
    start?: boolean;
    logger?: Logger;
  } = {},
): Promise<App> {
  const db = input.db ?? (await createTestDatabase());
  const dir = await mkdtemp(join(tmpdir(), "lucent-webhooks-"));
  const kernel = await createKernel({
    db: { url: db.url },
    dataDir: dir,
    collections: input.collections ?? [Users, Notes, Tags],
    modules: [auth(), ...queueModules(), ...(input.modules ?? []), webhooks(input.webhooks)],
    typegen: { output: false },
    api: { rateLimit: false },
    ...(input.logger ? { logger: input.logger } : {}),
  });
  if (input.start !== false) await kernel.start();
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
    dataDir: dir,
    request,
    json,
    async user(email, admin = false) {
      const res = await json("POST", "/api/auth/register", {
        email,
        password: "correct horse battery",
      });
      const body = (await res.json()) as { user: { id: string }; accessToken: string };
      if (admin)
        await kernel.lucent.update({
          collection: "users",
          id: body.user.id,
          data: { role: "admin" },
          overrideAccess: true,
        });
      return { id: body.user.id, token: body.accessToken };
    },
    async close() {
      await kernel.stop();
      if (!input.db) await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` returns a value other than undefined. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error("timed out waiting");
    await Bun.sleep(25);
  }
}

/** A logger that keeps its lines, for tests that check what was logged. */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    logger: createLogger({
      level: "info",
      destination: { write: (line: string) => void lines.push(line) },
    }),
  };
}
