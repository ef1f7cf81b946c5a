/**
 * The module's `lucent.secrets`: the kernel builds the Local API
 * synchronously, while the master key may come from the async secret source.
 * Every call waits for the store that `setup` opened.
 */
import type { JsonValue } from "./json-value.ts";
import { redacted } from "./redact.ts";
import type {
  RotateAllOptions,
  RotationResult,
  RotationTarget,
  SecretInfo,
  SecretsStore,
} from "./types.ts";

export class DeferredSecretsStore implements SecretsStore {
  readonly keyVersion: number;
  readonly #store: () => Promise<SecretsStore>;

  constructor(keyVersion: number, store: () => Promise<SecretsStore>) {
    this.keyVersion = keyVersion;
    this.#store = store;
    redacted(this, () => `SecretsStore(keyVersion ${keyVersion}, redacted)`);
  }

  async set(key: string, value: unknown): Promise<void> {
    return (await this.#store()).set(key, value);
  }
  async get<T = JsonValue>(key: string): Promise<T | undefined> {
    return (await this.#store()).get<T>(key);
  }
  async require<T = JsonValue>(key: string): Promise<T> {
    return (await this.#store()).require<T>(key);
  }
  async delete(key: string): Promise<boolean> {
    return (await this.#store()).delete(key);
  }
  async list(prefix?: string): Promise<SecretInfo[]> {
    return (await this.#store()).list(prefix);
  }
  async rotate(key: string, target: RotationTarget): Promise<boolean> {
    return (await this.#store()).rotate(key, target);
  }
  async rotateAll(target: RotationTarget, options?: RotateAllOptions): Promise<RotationResult> {
    return (await this.#store()).rotateAll(target, options);
  }
}
