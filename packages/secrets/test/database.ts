/** One database per test file: in-memory PGlite, or a fresh Postgres database with TEST_DATABASE_URL. */
import type { DatabaseAdapter } from "@lucent/core";
import { createDatabase } from "@lucent/core";
import { createTestDatabase, type TestDatabase } from "@lucent/test-utils";
import { sql } from "drizzle-orm";
import { ensureSecretsTable } from "../src/table.ts";

export interface SecretsTestDatabase {
  db: DatabaseAdapter;
  test: TestDatabase;
  /** Empties `lucent_secrets` between tests. */
  clear(): Promise<void>;
  close(): Promise<void>;
}

export async function openTestDatabase(): Promise<SecretsTestDatabase> {
  const test = await createTestDatabase();
  const db = await createDatabase({ url: test.url, dataDir: "/nonexistent" });
  await ensureSecretsTable(db);
  return {
    db,
    test,
    clear: async () => {
      await db.execute(sql`truncate lucent_secrets`);
    },
    close: async () => {
      await db.close();
      await test.close();
    },
  };
}

/** Flips one bit of a bytea column of a record, in place. */
export async function flipByte(
  db: DatabaseAdapter,
  key: string,
  column: "ciphertext" | "nonce",
  index: (length: number) => number,
): Promise<void> {
  const [row] = await db.execute<{ value: Uint8Array }>(
    column === "ciphertext"
      ? sql`select ciphertext as value from lucent_secrets where key = ${key}`
      : sql`select nonce as value from lucent_secrets where key = ${key}`,
  );
  const bytes = new Uint8Array(row!.value);
  const at = index(bytes.length);
  bytes[at] = bytes[at]! ^ 0x01;
  await db.execute(
    column === "ciphertext"
      ? sql`update lucent_secrets set ciphertext = ${bytes} where key = ${key}`
      : sql`update lucent_secrets set nonce = ${bytes} where key = ${key}`,
  );
}
