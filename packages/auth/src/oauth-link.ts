/**
 * From a provider's profile to a user: the account already linked to it;
 * else the user with the same email, linked only when the provider verified
 * that email (an unverified match would let anyone claim an account); else a new user.
 */
import { ForbiddenError } from "@lucent/core";
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

async function userExists(rt: AuthRuntime, id: string): Promise<boolean> {
  const rows = await rt.ctx.db.execute(
    sql`select 1 from ${sql.identifier(rt.collection.table)} where id = ${id}::uuid`,
  );
  return rows.length > 0;
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
  if (linked && (await userExists(rt, linked.user_id))) {
    const stored = profile.email ? await findCredentials(rt, profile.email) : null;
    return {
      userId: linked.user_id,
      emailVerified: stored?.id === linked.user_id ? stored.emailVerified : true,
    };
  }
  if (!profile.email) throw new ForbiddenError(`${provider} did not share an email address`);
  const email = normalizeEmail(profile.email);
  const existing = await findCredentials(rt, email);
  const verifiable = rt.collection.fieldMap.has("emailVerified");
  if (existing) {
    if (!profile.emailVerified) {
      throw new ForbiddenError(
        `${provider} has not verified this email address; sign in with your password first`,
      );
    }
    await link(rt, provider, profile.subject, existing.id);
    if (verifiable && !existing.emailVerified) {
      await ctx.lucent.update({
        collection: slug,
        id: existing.id,
        data: { emailVerified: true },
        overrideAccess: true,
      });
    }
    return { userId: existing.id, emailVerified: true };
  }
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
