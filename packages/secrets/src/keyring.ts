/** The master keys a store holds: the current one, and earlier versions for reading. */
import { SecretsOptionsError, UnknownKeyVersionError } from "./errors.ts";
import { type KeyVersionInput, keyVersionOfName, parseKeyVersion } from "./key-version.ts";
import { MasterKey, type MasterKeyInput } from "./master-key.ts";
import { redacted } from "./redact.ts";

export interface KeyringInput {
  masterKey: MasterKeyInput;
  keyVersion?: KeyVersionInput;
  previousKeys?: Readonly<Record<string, MasterKeyInput>>;
}

export interface KeyringLabels {
  /** Prefix for every option name in messages, e.g. `rotation target `. */
  prefix?: string;
  /** The name of the master key's source, e.g. `LUCENT_SECRETS_KEY`. @default "masterKey" */
  masterKey?: string;
}

export class Keyring {
  readonly current: MasterKey;
  readonly #byVersion = new Map<number, MasterKey>();

  constructor(input: KeyringInput, labels: KeyringLabels = {}) {
    const prefix = labels.prefix ?? "";
    const version = parseKeyVersion(input.keyVersion ?? 1, `${prefix}keyVersion`);
    if (input.masterKey === undefined || input.masterKey === null) {
      throw new SecretsOptionsError([
        `${prefix}masterKey is required: pass masterKey, or set LUCENT_SECRETS_KEY for the module`,
      ]);
    }
    const masterKeyLabel = `${prefix}${labels.masterKey ?? "masterKey"}`;
    this.current = MasterKey.parse(input.masterKey, version, masterKeyLabel);
    this.#byVersion.set(version, this.current);
    for (const [name, key] of Object.entries(input.previousKeys ?? {})) {
      const label = `${prefix}previousKeys[${name}]`;
      const previous = parseKeyVersion(keyVersionOfName(name) ?? name, `${label}: the version`);
      if (previous === version) {
        throw new SecretsOptionsError([`${label}: version ${version} is the current keyVersion`]);
      }
      this.#byVersion.set(previous, MasterKey.parse(key, previous, label));
    }
    redacted(this, () => `Keyring(versions ${this.versions().join(", ")}, redacted)`);
  }

  versions(): number[] {
    return [...this.#byVersion.keys()].sort((a, b) => a - b);
  }

  /** The key for records of `version`; throws naming the record when there is none. */
  forRecord(recordKey: string, version: number): MasterKey {
    const key = this.#byVersion.get(version);
    if (!key) throw new UnknownKeyVersionError(recordKey, version, this.versions());
    return key;
  }
}
