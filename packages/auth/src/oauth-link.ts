/**
 * From a provider's profile to a user: the account already linked to it;
 * else the user with the same email, linked only when both the provider and
 * the account verified that email; else a new user.
 *
 * Both, because either alone lets someone else in: an unverified provider
 * email lets anyone claim an account, and an unverified account may have
 * been registered by someone who never owned the address, waiting for its
 * owner to sign in with a provider and hand them the account.
 */
import { ConflictError, ForbiddenError } from "@lucent/core";
import { sql } from "drizzle-orm";
import { mailUser } from "./mailer.ts";
import type { OAuthProfile } from "./oauth-providers.ts";
import { findCredentials, normalizeEmail } from "./passwords.ts";
import type { AuthRuntime } from "./runtime.ts";
import { randomToken } from "./secure-random.ts";
import { TABLES } from "./tables.ts";

const links = sql.identifier(TABLES.oauthAccounts);

async function link(
  rt: AuthRuntime,
  provider: string,
  subject: string,
  userId: string,
): Promise<void> {
  await rt.ctx.db.execute(sql`insert into ${links} (id, provider, subject, user_id, collection)
    values (${Bun.randomUUIDv7()}::uuid, ${provider}, ${subject}, ${userId}::uuid, ${rt.collection.slug})
    on conflict (provider, subject) do update set user_id = excluded.user_id, collection = excluded.collection`);
}

/** Whether the account exists, and whether its address is verified (never, with `verify` off). */
async function accountState(
  rt: AuthRuntime,
  id: string,
): Promise<{ exists: boolean; emailVerified: boolean }> {
  const column = rt.collection.fieldMap.get("emailVerified")?.column;
  const rows = await rt.ctx.db.execute<{ verified: boolean | null }>(
    sql`select ${column ? sql.identifier(column) : sql`false`} as verified
      from ${sql.identifier(rt.collection.table)} where id = ${id}::uuid`,
  );
  return { exists: rows.length > 0, emailVerified: rows[0]?.verified === true };
}

export async function userForProfile(
  rt: AuthRuntime,
  provider: string,
  profile: OAuthProfile,
): Promise<{ userId: string; emailVerified: boolean }> {
  const { ctx } = rt;
  const slug = rt.collection.slug;
  const [linked] = await ctx.db.execute<{ user_id: string }>(
    sql`select user_id from ${links} where provider = ${provider} and subject = ${profile.subject} and collection = ${slug}`,
  );
  if (linked) {
    const account = await accountState(rt, linked.user_id);
    if (account.exists) return { userId: linked.user_id, emailVerified: account.emailVerified };
  }
  if (!profile.email) throw new ForbiddenError(`${provider} did not share an email address`);
  const email = normalizeEmail(profile.email);
  const existing = await findCredentials(rt, email);
  if (existing) {
    if (!profile.emailVerified || !existing.emailVerified) {
      throw new ConflictError(
        `an account with this email address already exists; sign in with your password first (the address must be verified on both sides to sign in with ${provider})`,
      );
    }
    await link(rt, provider, profile.subject, existing.id);
    return { userId: existing.id, emailVerified: true };
  }
  const verifiable = rt.collection.fieldMap.has("emailVerified");
  // A password nobody knows: the account signs in through the provider, or sets one with `forgot`.
  const data: Record<string, unknown> = { email, password: randomToken() };
  if (verifiable) data.emailVerified = profile.emailVerified;
  const created = await ctx.lucent.create({ collection: slug, data, overrideAccess: true });
  await link(rt, provider, profile.subject, created.id);
  if (rt.options.mail.welcome && (profile.emailVerified || !rt.options.verify)) {
    await mailUser(rt, { kind: "welcome", user: created });
  }
  return { userId: created.id, emailVerified: profile.emailVerified };
}
