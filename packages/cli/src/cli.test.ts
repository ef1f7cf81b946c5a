import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase } from "@lucent/test-utils";
import { run } from "./index.ts";

const config = join(import.meta.dir, "../test/fixtures/lucent.config.ts");
const next = join(import.meta.dir, "../test/fixtures/lucent.config.next.ts");
let db: TestDatabase;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), "lucent-cli-"));
  // PGlite keeps its data in a folder between CLI runs; Postgres in the test database.
  Bun.env.CLI_TEST_DB_URL = db.kind === "postgres" ? db.url : "";
  Bun.env.CLI_TEST_DATA_DIR = dir;
});

afterAll(async () => {
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

describe("lucent migrate", () => {
  test("a dry run prints the SQL and changes nothing", async () => {
    const first = await run(["migrate", "--dry-run", "--config", config]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('create table "notes"');
    const again = await run(["migrate", "--dry-run", "--config", config]);
    expect(again.stdout).toContain('create table "notes"');
  });

  test("migrate applies the plan, then finds the database up to date", async () => {
    const applied = await run(["migrate", "--config", config]);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/applied \d+ statement/);
    const again = await run(["migrate", "--config", config]);
    expect(again.stdout).toBe("the database is up to date");
  });

  test("a removed field is reported, not dropped, and a new one is added", async () => {
    const dry = await run(["migrate", "--dry-run", "--config", next]);
    expect(dry.stdout).toContain('add column "subtitle"');
    expect(dry.stdout).toContain("-- not applied: notes.body has no field in the config");
    const applied = await run(["migrate", "--config", next]);
    expect(applied.stdout).toContain("applied 1 statement(s)");
    expect(applied.stdout).toContain("not applied: notes.body has no field in the config");
  });
});

describe("lucent typegen", () => {
  test("writes the types file for the config", async () => {
    const out = join(dir, "types.ts");
    const result = await run(["typegen", "--config", config, "--out", out]);
    expect(result).toMatchObject({ code: 0, stdout: `wrote ${out}` });
    const text = await Bun.file(out).text();
    expect(text).toContain("export type Note = {");
    expect(text).toContain('"notes": { doc: Note; data: NoteData; where: NoteWhere }');
    expect((await run(["typegen", "--config", config, "--out", out])).stdout).toBe(
      `${out} is up to date`,
    );
  });
});

describe("lucent", () => {
  test("an unknown command fails with the usage text", async () => {
    const result = await run(["frobnicate"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('unknown command "frobnicate"');
    expect(result.stderr).toContain("Usage: lucent");
  });

  test("a missing config file is one clear line", async () => {
    const result = await run(["migrate", "--config", "nope.config.ts"]);
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr: "config file not found: nope.config.ts",
    });
  });
});

describe("lucent secrets", () => {
  test("generate-key prints a fresh 32-byte base64 master key each time", async () => {
    const a = await run(["secrets", "generate-key"]);
    const b = await run(["secrets", "generate-key"]);
    expect(a.code).toBe(0);
    expect(Buffer.from(a.stdout, "base64")).toHaveLength(32);
    expect(a.stdout).not.toBe(b.stdout);
  });
});
