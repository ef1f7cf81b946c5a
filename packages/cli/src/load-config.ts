/** Finds and imports the project's config: `--config`, else lucent.config.ts or src/lucent.config.ts. */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { LucentConfig } from "@lucent/core";

const CANDIDATES = [
  "lucent.config.ts",
  "src/lucent.config.ts",
  "lucent.config.js",
  "src/config.ts",
];

export class CliError extends Error {
  override name = "CliError";
}

export async function loadConfig(
  path: string | undefined,
  cwd = process.cwd(),
): Promise<{ config: LucentConfig; file: string }> {
  const file = path
    ? resolve(cwd, path)
    : CANDIDATES.map((c) => resolve(cwd, c)).find((c) => existsSync(c));
  if (!file || !existsSync(file)) {
    throw new CliError(
      path
        ? `config file not found: ${path}`
        : `no config found (looked for ${CANDIDATES.join(", ")}); pass --config <file>`,
    );
  }
  const mod = (await import(file)) as { default?: unknown; config?: unknown };
  const config = mod.default ?? mod.config;
  if (!config || typeof config !== "object" || !("collections" in config)) {
    throw new CliError(`${file} must export the config as default or as \`config\``);
  }
  return { config: config as LucentConfig, file };
}
