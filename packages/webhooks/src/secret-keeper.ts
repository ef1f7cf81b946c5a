/**
 * Where signing secrets live. A signer needs the secret itself, so it cannot
 * be kept as a hash: with `@lucent/secrets` installed it is stored there
 * (the endpoint's `secret` column holds a reference), otherwise it is sealed
 * with AES-256-GCM under `WEBHOOKS_SECRET_KEY` in the column. Either way no
 * route returns it after the response that created it. Config endpoints keep
 * theirs in the config.
 */
import type { KernelContext } from "@lucent/core";

/** What this module needs of `lucent.secrets` (`@lucent/secrets`' store). */
interface SecretsStoreLike {
  set(key: string, value: unknown): Promise<void>;
  get<T>(key: string): Promise<T | undefined>;
  delete(key: string): Promise<boolean>;
}

export interface SecretKeeper {
  /** Inside the write: what the `secret` column holds for a new secret. */
  seal(plain: string): Promise<string>;
  /** After the write committed: makes the sealed secret readable (stores it in `@lucent/secrets`). */
  commit(sealed: string, plain: string): Promise<void>;
  /** Forgets what `sealed` refers to (an endpoint deleted, a secret replaced). */
  discard(sealed: string): Promise<void>;
  /** The secret, or undefined when it cannot be found. */
  open(sealed: string): Promise<string | undefined>;
}

export const KEY_ENV = "WEBHOOKS_SECRET_KEY";
const BOX = "box:v1:";
const STORE = "store:";
const CONFIG = "config:";
// Binds a ciphertext to its purpose: a sealed value copied elsewhere does not decrypt there.
const AAD = new TextEncoder().encode("@lucent/webhooks signing secret");

async function boxKey(ctx: KernelContext): Promise<CryptoKey> {
  const material = await ctx.secret(KEY_ENV, { minBytes: 32 });
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(material));
  return crypto.subtle.importKey("raw", digest, "AES-GCM", false, ["encrypt", "decrypt"]);
}

function storeOf(ctx: KernelContext): SecretsStoreLike | undefined {
  if (!ctx.getModule("@lucent/secrets")) return undefined;
  return (ctx.lucent as unknown as { secrets: SecretsStoreLike }).secrets;
}

const storeKey = (ref: string) => `webhooks:${ref}:standard-webhooks:signing`;

export function configSealed(name: string): string {
  return CONFIG + name;
}

export function createSecretKeeper(
  ctx: KernelContext,
  configSecrets: ReadonlyMap<string, string>,
): SecretKeeper {
  const useStore = ctx.getModule("@lucent/secrets") !== undefined;
  let key: Promise<CryptoKey> | undefined;
  const theKey = () => (key ??= boxKey(ctx));
  return {
    async seal(plain) {
      if (useStore) return STORE + Bun.randomUUIDv7();
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const data = new TextEncoder().encode(plain);
      const sealed = await crypto.subtle.encrypt(
        { name: "AES-GCM", iv, additionalData: AAD },
        await theKey(),
        data,
      );
      return `${BOX}${Buffer.from(iv).toString("base64")}:${Buffer.from(sealed).toString("base64")}`;
    },
    async commit(sealed, plain) {
      if (sealed.startsWith(STORE))
        await storeOf(ctx)!.set(storeKey(sealed.slice(STORE.length)), { secret: plain });
    },
    async discard(sealed) {
      if (sealed.startsWith(STORE))
        await storeOf(ctx)?.delete(storeKey(sealed.slice(STORE.length)));
    },
    async open(sealed) {
      if (sealed.startsWith(CONFIG)) return configSecrets.get(sealed.slice(CONFIG.length));
      if (sealed.startsWith(STORE)) {
        const value = await storeOf(ctx)?.get<{ secret: string }>(
          storeKey(sealed.slice(STORE.length)),
        );
        return value?.secret;
      }
      if (!sealed.startsWith(BOX)) return undefined;
      const [iv, data] = sealed.slice(BOX.length).split(":");
      try {
        const plain = await crypto.subtle.decrypt(
          { name: "AES-GCM", iv: Buffer.from(iv ?? "", "base64"), additionalData: AAD },
          await theKey(),
          Buffer.from(data ?? "", "base64"),
        );
        return new TextDecoder().decode(plain);
      } catch {
        return undefined; // another key (WEBHOOKS_SECRET_KEY changed): the attempt says so
      }
    },
  };
}
