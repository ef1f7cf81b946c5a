/** The `lucent_secrets` table, described for the kernel's additive migrator. */
import type { DatabaseAdapter, MigrateResult, TableSpec } from "@lucent/core";
import { migrate } from "@lucent/core";

export const SECRETS_TABLE = "lucent_secrets";

export const secretsTable: TableSpec = {
  name: SECRETS_TABLE,
  columns: [
    { name: "key", type: "text", primaryKey: true },
    // AES-GCM output: the encrypted JSON followed by the 16-byte tag.
    { name: "ciphertext", type: "bytea", notNull: true },
    { name: "nonce", type: "bytea", notNull: true },
    { name: "key_version", type: "integer", notNull: true },
    { name: "created_at", type: "timestamptz", notNull: true, default: "now()" },
    { name: "updated_at", type: "timestamptz", notNull: true, default: "now()" },
  ],
  // A rotation looks for the records still on other versions.
  indexes: [{ columns: ["key_version"] }],
};

/**
 * Creates `lucent_secrets` when it does not exist, through the same migrator
 * (and advisory lock) the kernel uses. For standalone use; the `secrets()`
 * module gets its table from the kernel.
 */
export function ensureSecretsTable(adapter: DatabaseAdapter): Promise<MigrateResult> {
  return migrate({ db: adapter, specs: [secretsTable] });
}
