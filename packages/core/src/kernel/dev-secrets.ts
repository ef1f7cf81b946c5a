/**
 * Secrets from the environment. In development a missing one is generated
 * once, persisted under the data folder and announced; in production a
 * missing or short one stops startup.
 */
import { chmod, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError } from "../http/errors.ts";
import type { Logger } from "./logger.ts";

export interface SecretSource {
  get(name: string, options?: { minBytes?: number }): Promise<string>;
}

export function secretSource(input: {
  dataDir: string;
  production: boolean;
  logger: Logger;
}): SecretSource {
  const cache = new Map<string, string>();
  return {
    async get(name, options = {}) {
      const minBytes = options.minBytes ?? 32;
      const fromEnv = Bun.env[name];
      if (fromEnv) {
        if (input.production && Buffer.byteLength(fromEnv) < minBytes) {
          throw new ConfigError([`${name}: must be at least ${minBytes} bytes in production`]);
        }
        return fromEnv;
      }
      if (input.production)
        throw new ConfigError([`${name}: is required when NODE_ENV=production`]);
      const cached = cache.get(name);
      if (cached) return cached;
      const file = Bun.file(join(input.dataDir, "secrets", name));
      if (await file.exists()) {
        const value = (await file.text()).trim();
        cache.set(name, value);
        return value;
      }
      const bytes = crypto.getRandomValues(new Uint8Array(32));
      const value = Buffer.from(bytes).toString("base64");
      await mkdir(join(input.dataDir, "secrets"), { recursive: true, mode: 0o700 });
      await Bun.write(file, `${value}\n`);
      await chmod(file.name!, 0o600);
      input.logger.warn(
        { secret: name, file: file.name },
        `${name} is not set: generated one for development and saved it under ${input.dataDir}/secrets (set it in production)`,
      );
      cache.set(name, value);
      return value;
    },
  };
}
