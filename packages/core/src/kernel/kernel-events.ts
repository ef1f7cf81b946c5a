/**
 * What happens in a running kernel, as modules hear of it: committed writes
 * on the change feed (`ctx.changes`) and events between modules on the event
 * hub (`ctx.events`).
 */
import type { Doc, WriteOrigin } from "../query/access-types.ts";

/** A write that committed, as the change feed carries it (cache, realtime, webhooks). */
export interface ChangeEvent {
  collection: string;
  operation: "create" | "update" | "delete";
  id: string;
  /** The document as stored, before any caller's access is applied. */
  doc: Doc;
  /** The document before an update or a delete. */
  previousDoc?: Doc;
  /** The id of the user who made the write; null for server code and anonymous callers. */
  actor: string | null;
  /** The `X-Request-Id` of the request that made the write; null outside a request. */
  requestId: string | null;
  /** When the write committed, ISO 8601. */
  committedAt: string;
}

/** `local`: the change was made on this instance (false: it came over the bus). */
export type ChangeListener = (event: ChangeEvent, meta: { local: boolean }) => void | Promise<void>;

/**
 * Every committed write, once per subscriber, on every instance that shares
 * the event bus; local changes are delivered before the write answers.
 */
export interface ChangeFeed {
  /** Returns a function that ends the subscription. */
  subscribe(listener: ChangeListener): () => void;
}

/** Something that happened in auth, as the audit log records it (CONTRACT §15). */
export interface AuthEvent {
  type:
    | "login"
    | "login_failed"
    | "logout"
    | "password_reset"
    | "api_key_created"
    | "api_key_revoked";
  /** The account; null for a failed sign-in with an unknown address. */
  user: { id: string; collection: string } | null;
  /** The address a sign-in was tried with (login, login_failed). */
  email?: string;
  /** The API key's id (api_key_created, api_key_revoked). */
  keyId?: string;
  /** Who did it and from which request. */
  origin: WriteOrigin;
}

/**
 * Event names and payloads. A module adds its own by declaration merging:
 * `declare module "@lucent/core" { interface LucentEvents { "acme.thing": Thing } }`.
 */
export interface LucentEvents {
  auth: AuthEvent;
}

export interface EventHub {
  /** Tells every listener of `name` on this instance, and waits for them. */
  emit<K extends keyof LucentEvents>(name: K, payload: LucentEvents[K]): Promise<void>;
  /** Returns a function that removes the listener. */
  on<K extends keyof LucentEvents>(
    name: K,
    listener: (payload: LucentEvents[K]) => void | Promise<void>,
  ): () => void;
}
