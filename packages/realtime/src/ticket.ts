/**
 * Tickets for browsers on another origin (CONTRACT §9): `POST
 * /realtime/ticket` trades the caller's credentials for a short-lived,
 * single-use ticket that `?ticket=` redeems on any instance. The database
 * keeps only the ticket's hash and the credentials sealed with a key
 * derived from the ticket itself, so a copy of the table opens nothing.
 */
import type { DatabaseAdapter } from "@lucent/core";
import { sql } from "drizzle-orm";
import type { Credentials } from "./credentials.ts";
import { TICKETS } from "./tables.ts";

const PREFIX = "rt_";
const TICKET = /^rt_[A-Za-z0-9_-]{43}$/;
const table = sql.identifier(TICKETS);

/** The ticket in `text`, or null: a ticket from a URL is untrusted input. */
export function parseTicket(text: unknown): string | null {
  return typeof text === "string" && TICKET.test(text) ? text : null;
}

function hashOf(ticket: string): string {
  return new Bun.CryptoHasher("sha256").update(ticket).digest("hex");
}

async function keyOf(ticket: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(ticket),
    "HKDF",
    false,
    ["deriveKey"],
  );
  return crypto.subtle.deriveKey(
    {
      name: "HKDF",
      hash: "SHA-256",
      salt: new Uint8Array(0),
      info: new TextEncoder().encode("lucent realtime ticket"),
    },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

export async function issueTicket(
  db: DatabaseAdapter,
  input: { credentials: Credentials; seconds: number },
): Promise<{ ticket: string; expiresAt: string }> {
  const ticket =
    PREFIX + Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plain = new TextEncoder().encode(JSON.stringify(input.credentials));
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await keyOf(ticket), plain),
  );
  const expiresAt = new Date(Date.now() + input.seconds * 1000);
  await db.execute(
    sql`insert into ${table} (id, sealed, expires_at)
        values (${hashOf(ticket)}, ${`${Buffer.from(iv).toString("base64")}.${Buffer.from(sealed).toString("base64")}`}, ${expiresAt.toISOString()}::timestamptz)`,
  );
  return { ticket, expiresAt: expiresAt.toISOString() };
}

/** The credentials behind a ticket, once: the row is deleted as it is read. Null when unknown, used or expired. */
export async function redeemTicket(
  db: DatabaseAdapter,
  text: unknown,
): Promise<Credentials | null> {
  const ticket = parseTicket(text);
  if (!ticket) return null;
  const rows = await db.execute<{ sealed: string }>(
    sql`delete from ${table} where id = ${hashOf(ticket)} and expires_at > now() returning sealed`,
  );
  const sealed = rows[0]?.sealed;
  if (!sealed) return null;
  const [iv, data] = sealed.split(".");
  try {
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: Buffer.from(iv ?? "", "base64") },
      await keyOf(ticket),
      Buffer.from(data ?? "", "base64"),
    );
    return JSON.parse(new TextDecoder().decode(plain)) as Credentials;
  } catch {
    return null;
  }
}

export async function pruneTickets(db: DatabaseAdapter): Promise<void> {
  await db.execute(sql`delete from ${table} where expires_at <= now()`);
}
