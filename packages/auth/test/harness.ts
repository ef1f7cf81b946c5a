/** One app per test file on a shared database: in-memory PGlite, or a fresh Postgres database with TEST_DATABASE_URL. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type {
  AccessArgs,
  CollectionConfig,
  DatabaseAdapter,
  Kernel,
  LucentConfig,
  LucentModule,
} from "@lucent/core";
import {
  createDatabase,
  createKernel,
  createLogger,
  defineCollection,
  lucentPlugin,
} from "@lucent/core";
import { createTestDatabase, type TestDatabase } from "@lucent/test-utils";
import { auth } from "../src/module.ts";
import type { AuthOptions } from "../src/options.ts";

/** 32+ bytes, fixed so tests can forge tokens with it and with other keys. */
export const TEST_JWT_SECRET = "test-jwt-secret-0123456789abcdef0123456789";
export const TEST_SESSION_SECRET = "test-session-secret-0123456789abcdef012345";

const isAdmin = ({ user }: AccessArgs) => user?.role === "admin";

export const Users = defineCollection({
  slug: "users",
  auth: true,
  fields: {
    name: { type: "text" },
    role: {
      type: "select",
      options: ["admin", "user"],
      defaultValue: "user",
      access: { create: isAdmin, update: isAdmin },
    },
  },
  access: {
    read: ({ user }) => user !== null,
    create: isAdmin,
    update: ({ user }) => (user ? (user.role === "admin" ? true : { id: { eq: user.id } }) : false),
    delete: isAdmin,
  },
});

export const Notes = defineCollection({
  slug: "notes",
  fields: { title: { type: "text", required: true } },
  access: { create: ({ user }) => user !== null },
});

/** The body of a successful register or login. */
export interface SignedInBody {
  user: { id: string; email: string } & Record<string, unknown>;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export const PASSWORD = "correct horse battery";

export interface TestApp {
  kernel: Kernel;
  handle(path: string, init?: RequestInit): Promise<Response>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** Registers `email` (with PASSWORD unless given) and returns the parsed body. */
  signUp(email: string, password?: string): Promise<SignedInBody>;
  /** Logs `email` in (with PASSWORD unless given) and returns the parsed body. */
  signIn(email: string, password?: string): Promise<SignedInBody>;
  close(): Promise<void>;
}

export interface Shared {
  db: DatabaseAdapter;
  test: TestDatabase;
  dirs: string[];
  close(): Promise<void>;
}

export async function openShared(): Promise<Shared> {
  Bun.env.JWT_SECRET = TEST_JWT_SECRET;
  Bun.env.SESSION_SECRET = TEST_SESSION_SECRET;
  const test = await createTestDatabase();
  const db = await createDatabase({ url: test.url, dataDir: "/nonexistent" });
  const dirs: string[] = [];
  return {
    db,
    test,
    dirs,
    async close() {
      await db.close();
      await test.close();
      for (const dir of dirs) await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function startApp(
  shared: Shared,
  input: {
    auth?: AuthOptions;
    collections?: CollectionConfig[];
    lines?: string[];
    api?: LucentConfig["api"];
    /** Start job workers (mail is sent from the queue). @default false */
    jobs?: boolean;
    /** Install this auth module object instead of a new `auth(input.auth)`. */
    module?: ReturnType<typeof auth>;
    /** Modules installed beside auth (a shared event bus, say). */
    modules?: LucentModule[];
    /** The database adapter, when not the shared one (a counting wrapper, say). */
    db?: DatabaseAdapter;
  } = {},
): Promise<TestApp> {
  const dataDir = await mkdtemp(join(tmpdir(), "lucent-auth-"));
  shared.dirs.push(dataDir);
  const lines = input.lines;
  const kernel = await createKernel({
    db: { adapter: input.db ?? shared.db },
    dataDir,
    collections: input.collections ?? [Users, Notes],
    modules: [input.module ?? auth(input.auth), ...(input.modules ?? [])],
    typegen: { output: false },
    api: input.api ?? { rateLimit: false },
    ...(lines
      ? {
          logger: createLogger({
            level: "trace",
            destination: { write: (line: string) => void lines.push(line) },
          }),
        }
      : {}),
  });
  const app = lucentPlugin(kernel, { handleSignals: false });
  if (input.jobs) await kernel.start();
  const handle = (path: string, init?: RequestInit) =>
    app.handle(new Request(`http://localhost${path}`, init));
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    handle(path, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
  const credentials =
    (route: string) =>
    async (email: string, password = PASSWORD) =>
      (await (await post(route, { email, password })).json()) as SignedInBody;
  return {
    kernel,
    handle,
    post,
    signUp: credentials("/api/auth/register"),
    signIn: credentials("/api/auth/login"),
    close: () => kernel.stop(),
  };
}

/** The `lucent_session` value a response set, if any. */
export function sessionFrom(res: Response): string | undefined {
  for (const cookie of res.headers.getSetCookie()) {
    const match = /^lucent_session=([^;]*)/.exec(cookie);
    if (match?.[1]) return match[1];
  }
  return undefined;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
export const cookie = (session: string) => ({ cookie: `lucent_session=${session}` });
