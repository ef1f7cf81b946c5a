/**
 * Account lockout: too many failed logins for one email within the window
 * lock it for the same length of time. Accounts are keyed by the email as
 * typed, so an address that has no account locks the same way and a 423
 * says nothing about whether it exists.
 */
import type { DatabaseAdapter } from "@lucent/core";
import { sql } from "drizzle-orm";
import { TABLES } from "./tables.ts";

const failures = sql.identifier(TABLES.loginFailures);
const lockouts = sql.identifier(TABLES.lockouts);

export interface LockoutPolicy {
  attempts: number;
  windowSeconds: number;
}

/** Seconds until the lock lifts, or 0 when the account is not locked. */
export async function lockedFor(db: DatabaseAdapter, account: string): Promise<number> {
  const rows = await db.execute<{ seconds: number | string }>(sql`
    select ceil(extract(epoch from locked_until - now())) as seconds from ${lockouts}
    where account = ${account} and locked_until > now()`);
  return rows[0] ? Math.max(1, Number(rows[0].seconds)) : 0;
}

/** Records a failure; returns true when it locked the account. */
export async function recordFailure(
  db: DatabaseAdapter,
  account: string,
  policy: LockoutPolicy,
): Promise<boolean> {
  const window = sql`make_interval(secs => ${policy.windowSeconds})`;
  await db.execute(
    sql`delete from ${failures} where account = ${account} and created_at < now() - ${window}`,
  );
  await db.execute(
    sql`insert into ${failures} (id, account) values (${Bun.randomUUIDv7()}::uuid, ${account})`,
  );
  // Failures from before the last lock ended do not count again.
  const [row] = await db.execute<{ n: number | string }>(sql`
    select count(*) as n from ${failures} f
    where f.account = ${account} and f.created_at > now() - ${window}
      and f.created_at > coalesce((select locked_until from ${lockouts} where account = ${account}), '-infinity')`);
  if (Number(row?.n) < policy.attempts) return false;
  await db.execute(sql`insert into ${lockouts} (account, locked_until) values (${account}, now() + ${window})
    on conflict (account) do update set locked_until = excluded.locked_until`);
  return true;
}

/** A successful login or a password reset clears the count. */
export async function clearFailures(db: DatabaseAdapter, account: string): Promise<void> {
  await db.execute(sql`delete from ${failures} where account = ${account}`);
  await db.execute(sql`delete from ${lockouts} where account = ${account}`);
}
