/** The throwaway benchmark database: created fresh, dropped at the end. */
import postgres from "postgres";

/** The URL of `database` on the server `adminUrl` points at. */
export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdmin<T>(adminUrl: string, fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Drops `database` if it exists (closing its connections), then creates it empty. */
export async function createFreshDatabase(adminUrl: string, database: string): Promise<void> {
  await withAdmin(adminUrl, async (sql) => {
    await sql.unsafe(`drop database if exists "${database}" with (force)`);
    await sql.unsafe(`create database "${database}"`);
  });
}

export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  await withAdmin(adminUrl, (sql) =>
    sql.unsafe(`drop database if exists "${database}" with (force)`),
  );
}
