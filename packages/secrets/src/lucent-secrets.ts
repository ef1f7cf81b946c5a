/** The standalone entry point: `LucentSecrets.create`, `.key`, `.generateMasterKey`. */
import { generateMasterKey } from "./master-key.ts";
import { secretKey } from "./secret-key.ts";
import { createSecretsStore } from "./secrets-store.ts";
import type { SecretsStore, SecretsStoreOptions } from "./types.ts";

export const LucentSecrets = {
  /**
   * Opens a store on `adapter`. The master key is checked here, so a
   * malformed or weak one fails at startup, not at the first read.
   * The table must exist: the `secrets()` module or `ensureSecretsTable()` creates it.
   */
  create(options: SecretsStoreOptions): SecretsStore {
    return createSecretsStore(options);
  },
  /** `scope:ownerId:provider:name`; throws on an empty part or a part with `:`. */
  key: secretKey,
  /** 32 random bytes, base64. */
  generateMasterKey,
} as const;
