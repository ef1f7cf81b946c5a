/**
 * The module's tables, described for the kernel's additive migrator. Every
 * secret (session id, refresh token, API key, one-time token) is stored only
 * as its SHA-256: a leaked table does not sign anyone in.
 */
import type { ColumnSpec, TableSpec } from "@lucent/core";

export const TABLES = {
  sessions: "lucent_auth_sessions",
  refreshTokens: "lucent_auth_refresh_tokens",
  apiKeys: "lucent_auth_api_keys",
  oneTimeTokens: "lucent_auth_tokens",
  loginFailures: "lucent_auth_login_failures",
  lockouts: "lucent_auth_lockouts",
  oauthAccounts: "lucent_auth_oauth_accounts",
} as const;

const owner: ColumnSpec[] = [
  // No foreign key: the auth collection is chosen at startup, and a deleted
  // user's credentials fail anyway because the user lookup fails.
  { name: "user_id", type: "uuid", notNull: true },
  { name: "collection", type: "text", notNull: true },
];
const createdAt: ColumnSpec = {
  name: "created_at",
  type: "timestamptz",
  notNull: true,
  default: "now()",
};

export const authTables: readonly TableSpec[] = [
  {
    name: TABLES.sessions,
    columns: [
      { name: "token_hash", type: "text", primaryKey: true, notNull: true },
      ...owner,
      createdAt,
      { name: "last_used_at", type: "timestamptz", notNull: true, default: "now()" },
      { name: "expires_at", type: "timestamptz", notNull: true },
      { name: "revoked_at", type: "timestamptz" },
    ],
    indexes: [{ columns: ["user_id"] }],
  },
  {
    name: TABLES.refreshTokens,
    columns: [
      { name: "token_hash", type: "text", primaryKey: true, notNull: true },
      { name: "family_id", type: "uuid", notNull: true },
      ...owner,
      createdAt,
      { name: "expires_at", type: "timestamptz", notNull: true },
      // Set when the token is exchanged; presenting it again is reuse.
      { name: "rotated_at", type: "timestamptz" },
      { name: "revoked_at", type: "timestamptz" },
    ],
    indexes: [{ columns: ["family_id"] }, { columns: ["user_id"] }],
  },
  {
    name: TABLES.apiKeys,
    columns: [
      { name: "id", type: "uuid", primaryKey: true, notNull: true },
      ...owner,
      { name: "name", type: "text", notNull: true },
      { name: "prefix", type: "text", notNull: true },
      { name: "key_hash", type: "text", notNull: true },
      createdAt,
      { name: "last_used_at", type: "timestamptz" },
      { name: "revoked_at", type: "timestamptz" },
    ],
    indexes: [{ columns: ["key_hash"], unique: true }, { columns: ["user_id"] }],
  },
  {
    name: TABLES.oneTimeTokens,
    columns: [
      { name: "token_hash", type: "text", primaryKey: true, notNull: true },
      { name: "purpose", type: "text", notNull: true },
      ...owner,
      // The address a verification link was sent to: the link verifies that address, no other.
      { name: "email", type: "text" },
      createdAt,
      { name: "expires_at", type: "timestamptz", notNull: true },
      { name: "used_at", type: "timestamptz" },
    ],
    indexes: [{ columns: ["user_id"] }],
  },
  {
    name: TABLES.loginFailures,
    columns: [
      { name: "id", type: "uuid", primaryKey: true, notNull: true },
      // The lower-cased email as typed: unknown addresses are counted too.
      { name: "account", type: "text", notNull: true },
      createdAt,
    ],
    indexes: [{ columns: ["account", "created_at"] }],
  },
  {
    name: TABLES.lockouts,
    columns: [
      { name: "account", type: "text", primaryKey: true, notNull: true },
      { name: "locked_until", type: "timestamptz", notNull: true },
    ],
  },
  {
    name: TABLES.oauthAccounts,
    columns: [
      { name: "id", type: "uuid", primaryKey: true, notNull: true },
      { name: "provider", type: "text", notNull: true },
      { name: "subject", type: "text", notNull: true },
      ...owner,
      createdAt,
    ],
    indexes: [{ columns: ["provider", "subject"], unique: true }, { columns: ["user_id"] }],
  },
];
