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
  test("regression: --help, -h and help exit 0 with the usage (--help exited 1)", async () => {
    for (const argv of [["--help"], ["-h"], ["help"]]) {
      const result = await run(argv);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("Usage: lucent <command>");
      for (const name of ["migrate", "typegen", "secrets"]) expect(result.stdout).toContain(name);
    }
  });

  test("regression: <command> --help prints that command's help, not the global usage", async () => {
    for (const argv of [
      ["migrate", "--help"],
      ["help", "migrate"],
      ["migrate", "-h"],
    ]) {
      const result = await run(argv);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("Usage: lucent migrate [--dry-run]");
      expect(result.stdout).toContain("--drop-orphaned");
      expect(result.stdout).not.toContain("Commands:");
    }
    expect((await run(["typegen", "--help"])).stdout).toContain("--out");
  });

  test("no command is a usage error: exit 2 and the usage", async () => {
    const result = await run([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Usage: lucent");
  });

  test("an unknown command exits 2 with a hint when it looks like a typo", async () => {
    const typo = await run(["migrat"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown command "migrat" (did you mean "migrate"?)');
    const other = await run(["frobnicate"]);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('unknown command "frobnicate"');
    expect(other.stderr).not.toContain("did you mean");
  });

  test("an option or a word a command does not take exits 2 with that command's help", async () => {
    const flag = await run(["migrate", "--dryrun"]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("lucent migrate: unknown option --dryrun");
    expect(flag.stderr).toContain("Usage: lucent migrate");
    const word = await run(["secrets", "generate-key", "now"]);
    expect(word.code).toBe(2);
    expect(word.stderr).toContain('unexpected "now"');
  });

  test("the bin's exit codes are run()'s", async () => {
    const bin = join(import.meta.dir, "bin.ts");
    const exit = (argv: string[]) =>
      Bun.spawnSync(["bun", "--conditions=lucent-source", bin, ...argv], {
        stdout: "pipe",
        stderr: "pipe",
      });
    const help = exit(["--help"]);
    expect(help.exitCode).toBe(0);
    expect(help.stdout.toString()).toContain("Usage: lucent");
    expect(exit(["nope"]).exitCode).toBe(2);
    expect(exit(["migrate", "--config", "nope.config.ts"]).exitCode).toBe(1);
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
