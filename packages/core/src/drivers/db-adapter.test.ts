import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase } from "@lucent/test-utils";
import { sql } from "drizzle-orm";
import { integer, pgTable } from "drizzle-orm/pg-core";
import { createLogger } from "../kernel/logger.ts";
import { createDatabase } from "./db-adapter.ts";
import type { DatabaseAdapter } from "./drivers.ts";

let testDb: TestDatabase;
let db: DatabaseAdapter;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = await createDatabase({ url: testDb.url, dataDir: "" });
  await db.execute(sql`create table adapter_probe (n integer)`);
});

afterAll(async () => {
  await db.close();
  await testDb.close();
});

test("the query builder of a transaction runs inside that transaction", async () => {
  // Regression: on PGlite the transaction's drizzle instance was built on the
  // root connection, so its queries ran outside the transaction (and waited on it).
  await expect(
    db.transaction(async (tx) => {
      await tx.drizzle.execute(sql`insert into adapter_probe (n) values (1)`);
      const seen = await tx.execute<{ n: number }>(
        sql`select count(*)::int as n from adapter_probe`,
      );
      expect(seen[0]?.n).toBe(1);
      throw new Error("roll back");
    }),
  ).rejects.toThrow("roll back");
  const after = await db.execute<{ n: number }>(sql`select count(*)::int as n from adapter_probe`);
  expect(after[0]?.n).toBe(0);
});

test("using the query builder leaves the adapter's own row parsing alone", async () => {
  // Regression: drizzle's postgres.js driver rewrote the client's parsers, so
  // after the first use of `db.drizzle` every timestamp came back as a string.
  const probe = pgTable("adapter_probe", { n: integer("n") });
  await db.drizzle.insert(probe).values({ n: 7 });
  const built = await db.drizzle.select().from(probe);
  expect(built).toEqual([{ n: 7 }]);
  const rows = await db.execute<{ at: unknown }>(sql`select now() as at`);
  expect(rows[0]?.at).toBeInstanceOf(Date);
});

describe("the embedded database at startup", () => {
  test("says when it is being created, then opened, and how long each took", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "lucent-embedded-"));
    const lines: string[] = [];
    const logger = createLogger({
      level: "info",
      destination: { write: (line: string) => void lines.push(line) },
    });
    const messages = () => lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
    try {
      const first = await createDatabase({ url: undefined, dataDir, logger });
      await first.close();
      expect(messages()[0]).toBe("creating the embedded database…");
      expect(messages()[1]).toMatch(/^embedded database created in \d+\.\d s$/);
      lines.length = 0;
      const again = await createDatabase({ url: undefined, dataDir, logger });
      await again.close();
      expect(messages()[0]).toBe("opening the embedded database…");
      expect(messages()[1]).toMatch(/^embedded database ready in \d+\.\d s$/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
