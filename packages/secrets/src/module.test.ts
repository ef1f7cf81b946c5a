import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KernelContext, LucentConfig } from "@lucent/core";
import { ConfigError, createLogger, getLucent } from "@lucent/core";
import { sql } from "drizzle-orm";
import { openTestDatabase, type SecretsTestDatabase } from "../test/database.ts";
import { InvalidMasterKeyError } from "./errors.ts";
import { LucentSecrets } from "./lucent-secrets.ts";
import { masterKeyProblem } from "./master-key.ts";
import { MASTER_KEY_ENV, secrets } from "./module.ts";

let shared: SecretsTestDatabase;
const dirs: string[] = [];
const lines: string[] = [];
const logger = createLogger({
  level: "debug",
  destination: { write: (line: string) => void lines.push(line) },
});
const savedEnv = { key: Bun.env[MASTER_KEY_ENV], nodeEnv: Bun.env.NODE_ENV };

const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "lucent-secrets-module-"));
  dirs.push(dir);
  return dir;
};

/** A kernel on the file's shared database: one PGlite start per file, not per test. */
const config = (modules: LucentConfig["modules"], dataDir = tempDir()): LucentConfig => ({
  db: { adapter: shared.db },
  dataDir,
  collections: [],
  modules,
  logger,
  typegen: { output: false },
});

beforeAll(async () => {
  shared = await openTestDatabase();
  delete Bun.env[MASTER_KEY_ENV];
});
afterEach(() => {
  delete Bun.env[MASTER_KEY_ENV];
  if (savedEnv.nodeEnv === undefined) delete Bun.env.NODE_ENV;
  else Bun.env.NODE_ENV = savedEnv.nodeEnv;
});
afterAll(async () => {
  if (savedEnv.key !== undefined) Bun.env[MASTER_KEY_ENV] = savedEnv.key;
  await shared.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("secrets() in modules", () => {
  test("the kernel's migrator creates lucent_secrets and lucent.secrets stores and reads", async () => {
    const url = shared.test.kind === "postgres" ? shared.test.url : "memory://";
    const masterKey = LucentSecrets.generateMasterKey();
    const lucent = await getLucent({
      db: { url },
      dataDir: tempDir(),
      collections: [],
      modules: [secrets({ masterKey })],
      logger,
      typegen: { output: false },
    });
    try {
      const [table] = await lucent.db.execute<{ name: string | null }>(
        sql`select to_regclass('lucent_secrets')::text as name`,
      );
      expect(table!.name).toBe("lucent_secrets");
      const key = LucentSecrets.key("user", "1", "github", "oauth");
      await lucent.secrets!.set(key, { token: "module-token", nested: { a: [1, 2] } });
      expect(await lucent.secrets!.get(key)).toEqual({
        token: "module-token",
        nested: { a: [1, 2] },
      });
      expect((await lucent.secrets!.list("user:"))[0]!.keyVersion).toBe(1);
      // The same key opens the record without the kernel.
      const standalone = LucentSecrets.create({ adapter: lucent.db, masterKey });
      expect(await standalone.require(key)).toEqual({
        token: "module-token",
        nested: { a: [1, 2] },
      });
    } finally {
      await lucent.close();
    }
  }, 30_000);

  test("keyVersion and previousKeys from the options apply to lucent.secrets", async () => {
    const k1 = LucentSecrets.generateMasterKey();
    const k2 = LucentSecrets.generateMasterKey();
    await LucentSecrets.create({ adapter: shared.db, masterKey: k1 }).set("rot:1:a:b", "old");
    const lucent = await getLucent(
      config([secrets({ masterKey: k2, keyVersion: 2, previousKeys: { 1: k1 } })]),
    );
    expect(lucent.secrets!.keyVersion).toBe(2);
    expect(await lucent.secrets!.get("rot:1:a:b")).toBe("old");
    expect(
      await lucent.secrets!.rotateAll({ masterKey: k2, keyVersion: 2 }, { prefix: "rot:" }),
    ).toEqual({
      rotated: 1,
      skipped: 0,
      batches: 1,
    });
    await lucent.close();
  });

  test('regression: the documented config (keyVersion "v1", then a rotation to "v2") starts, round-trips, and reads records written with numbers', async () => {
    const k1 = LucentSecrets.generateMasterKey();
    const k2 = LucentSecrets.generateMasterKey();
    // A record written before labels existed, with the number 1.
    await LucentSecrets.create({ adapter: shared.db, masterKey: k1, keyVersion: 1 }).set(
      "doc:1:a:numbered",
      "from a number",
    );
    const v1 = await getLucent(config([secrets({ masterKey: k1, keyVersion: "v1" })]));
    await v1.secrets!.set("doc:1:a:labelled", { token: "v1-token" });
    expect(await v1.secrets!.get("doc:1:a:numbered")).toBe("from a number");
    expect(v1.secrets!.keyVersion).toBe(1);
    expect(
      await v1.secrets!.rotateAll({ masterKey: k2, keyVersion: "v2" }, { prefix: "doc:" }),
    ).toMatchObject({ rotated: 2, skipped: 0 });
    await v1.close();

    const v2 = await getLucent(
      config([secrets({ masterKey: k2, keyVersion: "v2", previousKeys: { v1: k1 } })]),
    );
    expect(v2.secrets!.keyVersion).toBe(2);
    expect(await v2.secrets!.get("doc:1:a:labelled")).toEqual({ token: "v1-token" });
    expect(await v2.secrets!.get("doc:1:a:numbered")).toBe("from a number");
    expect((await v2.secrets!.list("doc:")).map((r) => r.keyVersion)).toEqual([2, 2]);
    await v2.close();
  }, 30_000);

  test("without a key in development, LUCENT_SECRETS_KEY is generated once, kept under dataDir, and announced", async () => {
    const dataDir = tempDir();
    lines.length = 0;
    const first = await getLucent(config([secrets()], dataDir));
    await first.secrets!.set("dev:1:a:b", "kept");
    await first.close();
    const file = Bun.file(join(dataDir, "secrets", MASTER_KEY_ENV));
    const generated = (await file.text()).trim();
    expect(masterKeyProblem(generated)).toBeUndefined();
    expect(lines.join("")).toContain(`${MASTER_KEY_ENV} is not set`);
    expect(lines.join("")).not.toContain(generated);

    const second = await getLucent(config([secrets()], dataDir));
    expect(await second.secrets!.get("dev:1:a:b")).toBe("kept");
    await second.close();
  });

  test("LUCENT_SECRETS_KEY from the environment is used when masterKey is not given", async () => {
    const key = LucentSecrets.generateMasterKey();
    Bun.env[MASTER_KEY_ENV] = key;
    const lucent = await getLucent(config([secrets()]));
    await lucent.secrets!.set("env:1:a:b", 1);
    await lucent.close();
    expect(
      await LucentSecrets.create({ adapter: shared.db, masterKey: key }).get("env:1:a:b"),
    ).toBe(1);
  });
});

describe("refused at startup", () => {
  const startupError = async (cfg: LucentConfig): Promise<ConfigError> => {
    const error = await getLucent(cfg).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  };

  test("an explicit weak master key stops startup with one line naming the option", async () => {
    const weak = Buffer.alloc(32, 1).toString("base64");
    const error = await startupError(config([secrets({ masterKey: weak })]));
    expect(error.problems).toEqual([
      "modules[0] (@lucent/secrets).masterKey: is weak: only 1 distinct byte value, not random bytes; generate one with `lucent secrets generate-key`",
    ]);
    expect(error.message).not.toContain(weak);
  });

  test.each([["v0"], ["version2"], ["2"], [""]])(
    "a keyVersion label %p that names no version stops startup with one line",
    async (keyVersion) => {
      const options = { masterKey: LucentSecrets.generateMasterKey(), keyVersion } as never;
      const error = await startupError(config([secrets(options)]));
      expect(error.problems).toEqual([
        'modules[0] (@lucent/secrets).keyVersion: must be a label such as "v1" or "v2" (or a positive integer)',
      ]);
    },
  );

  test("an explicit malformed master key and a bad keyVersion are each reported", async () => {
    const error = await startupError(config([secrets({ masterKey: "not a key!", keyVersion: 0 })]));
    expect(error.problems).toHaveLength(2);
    expect(error.problems[0]).toContain("masterKey: must be 32 bytes as base64 or hex");
    expect(error.problems[1]).toContain("keyVersion");
    expect(error.message).not.toContain("not a key!");
  });

  test("a weak LUCENT_SECRETS_KEY stops startup and is named", async () => {
    Bun.env[MASTER_KEY_ENV] = Buffer.from("0123456789abcdef0123456789abcdef").toString("base64");
    const error = await startupError(config([secrets()]));
    expect(error.problems).toEqual([
      `${MASTER_KEY_ENV} is weak: it decodes to printable text (a password?), not random bytes; generate one with \`lucent secrets generate-key\``,
    ]);
  });

  test("a missing LUCENT_SECRETS_KEY with NODE_ENV=production stops startup", async () => {
    Bun.env.NODE_ENV = "production";
    const error = await startupError(config([secrets()]));
    expect(error.message).toContain(MASTER_KEY_ENV);
  });
});

describe("one module object, two kernels", () => {
  test("one secrets() serves two kernels, each with its own master key and store", async () => {
    const module = secrets();
    const open = () =>
      getLucent({
        db: { url: "memory://" },
        dataDir: tempDir(),
        collections: [],
        modules: [module],
        logger,
        typegen: { output: false },
      });
    const a = await open();
    const b = await open();
    try {
      await a.secrets!.set("unit:1:a:b", { from: "a" });
      await b.secrets!.set("unit:1:a:b", { from: "b" });
      expect(await a.secrets!.require("unit:1:a:b")).toEqual({ from: "a" });
      expect(await b.secrets!.require("unit:1:a:b")).toEqual({ from: "b" });
      expect(a.secrets).not.toBe(b.secrets);
      expect((await a.secrets!.list()).length).toBe(1);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe("the module object on its own", () => {
  const fakeContext = (secret: () => Promise<string>) =>
    ({ db: shared.db, secret }) as unknown as KernelContext;

  test("lucent.secrets is the store setup opens with the key from the secret source", async () => {
    const key = LucentSecrets.generateMasterKey();
    const asked: string[] = [];
    const ctx = fakeContext(async () => {
      asked.push("LUCENT_SECRETS_KEY");
      return key;
    });
    const module = secrets();
    const { api } = await module.setup(ctx);
    await api.set("unit:1:a:b", { ok: true });
    expect(await api.require("unit:1:a:b")).toEqual({ ok: true });
    expect(asked).toEqual(["LUCENT_SECRETS_KEY"]);
    expect(
      await LucentSecrets.create({ adapter: shared.db, masterKey: key }).get("unit:1:a:b"),
    ).toEqual({ ok: true });
  });

  test("setup rejects a weak key from the secret source with InvalidMasterKeyError", async () => {
    const module = secrets();
    const ctx = fakeContext(async () => Buffer.alloc(32).toString("hex"));
    expect(module.setup(ctx)).rejects.toBeInstanceOf(InvalidMasterKeyError);
  });

  test("the options schema accepts a generated key and reports a bad one without echoing it", () => {
    const module = secrets({
      masterKey: LucentSecrets.generateMasterKey(),
      previousKeys: { 1: LucentSecrets.generateMasterKey() },
    });
    expect(module.optionsSchema.safeParse(module.options).success).toBe(true);
    const bad = secrets({ masterKey: "0".repeat(64) });
    const result = bad.optionsSchema.safeParse(bad.options);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error)).not.toContain("0".repeat(64));
    expect(module.tables.map((t) => t.name)).toEqual(["lucent_secrets"]);
    expect(module.name).toBe("@lucent/secrets");
  });
});
