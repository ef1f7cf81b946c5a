/**
 * `secrets()` as a Lucent module: the kernel's migrator creates the table,
 * and the store is exposed on the Local API as `lucent.secrets`.
 */
import type { KernelContext, LucentModule } from "@lucent/core";
import { z } from "zod";
import { type KeyVersionInput, keyVersionNumber, keyVersionOfName } from "./key-version.ts";
import { type MasterKeyInput, masterKeyProblem } from "./master-key.ts";
import { redacted } from "./redact.ts";
import { createSecretsStore } from "./secrets-store.ts";
import { secretsTable } from "./table.ts";
import type { SecretsStore } from "./types.ts";

export const MASTER_KEY_ENV = "LUCENT_SECRETS_KEY";

export interface SecretsOptions {
  /**
   * 32 bytes as base64 or hex. Without it, `LUCENT_SECRETS_KEY`; when that is
   * unset too, development generates one under `.lucent/` and production refuses to start.
   * @default Bun.env.LUCENT_SECRETS_KEY
   */
  masterKey?: MasterKeyInput;
  /** The version written beside every ciphertext: `"v1"`, `"v2"`, … (or the number). @default "v1" */
  keyVersion?: KeyVersionInput;
  /** Master keys of earlier versions (`{ v1: oldKey }`), for reading during a rotation. @default {} */
  previousKeys?: Readonly<Record<string, MasterKeyInput>>;
}

declare module "@lucent/core" {
  interface LucentModuleApis {
    secrets: SecretsStore;
  }
  /** `secrets: { masterKey, keyVersion }` at the top of a config (CONTRACT §1's short form). */
  interface ShortFormOptions {
    secrets: SecretsOptions;
  }
}

const masterKeySchema = z
  .union([z.string(), z.instanceof(Uint8Array)])
  .superRefine((value, ctx) => {
    const problem = masterKeyProblem(value);
    // The issue carries the problem only; zod would otherwise echo the input.
    if (problem) ctx.addIssue({ code: "custom", message: problem, input: undefined });
  });

export const secretsOptionsSchema = z.strictObject({
  masterKey: masterKeySchema.optional(),
  keyVersion: z
    .union([z.number(), z.string()])
    .refine((v) => keyVersionNumber(v) !== undefined, {
      message: 'must be a label such as "v1" or "v2" (or a positive integer)',
    })
    .optional(),
  previousKeys: z
    .record(
      z.string().refine((k) => keyVersionOfName(k) !== undefined, {
        message: 'must be a key version such as "v1"',
      }),
      masterKeySchema,
    )
    .optional(),
});

async function openStore(ctx: KernelContext, options: SecretsOptions): Promise<SecretsStore> {
  const fromEnv = options.masterKey === undefined;
  const masterKey = options.masterKey ?? (await ctx.secret(MASTER_KEY_ENV, { minBytes: 32 }));
  return createSecretsStore(
    { ...options, adapter: ctx.db, masterKey },
    { masterKey: fromEnv ? MASTER_KEY_ENV : "masterKey", prefix: fromEnv ? "" : "secrets: " },
  );
}

/** A copy of the options that prints without its keys. */
function heldOptions(options: SecretsOptions): SecretsOptions {
  const held = { ...options };
  redacted(held, () => `SecretsOptions(keyVersion ${options.keyVersion ?? 1}, redacted)`);
  return held;
}

export function secrets(options: SecretsOptions = {}) {
  const held = heldOptions(options);
  return {
    name: "@lucent/secrets",
    optionsSchema: secretsOptionsSchema,
    options: held,
    tables: [secretsTable],
    apiKey: "secrets",
    // One store per kernel; the master key may come from the async secret source.
    setup: async (ctx: KernelContext) => ({ api: await openStore(ctx, held) }),
  } satisfies LucentModule<"secrets", SecretsStore>;
}
