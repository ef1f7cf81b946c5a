/** The commands of `lucent`. Each returns the text to print. */
import { createKernel, kernelTypes, migrateConfig, planToSql, writeTypes } from "@lucent/core";
import type { ParsedArgs } from "./args.ts";
import { CliError, loadConfig } from "./load-config.ts";

function configPath(args: ParsedArgs): string | undefined {
  const value = args.flags.get("config");
  return typeof value === "string" ? value : undefined;
}

export async function migrateCommand(args: ParsedArgs): Promise<string> {
  const { config } = await loadConfig(configPath(args));
  const dryRun = args.flags.has("dry-run");
  const dropOrphaned = args.flags.has("drop-orphaned") ? true : undefined;
  const result = await migrateConfig(config, { dryRun, ...(dropOrphaned ? { dropOrphaned } : {}) });
  if (dryRun) return planToSql(result, dropOrphaned ?? config.migrations?.dropOrphaned ?? false);
  const lines = [
    result.applied.length
      ? `applied ${result.applied.length} statement(s)`
      : "the database is up to date",
  ];
  for (const change of result.destructive) {
    if (!change.sql || !result.applied.includes(change.sql))
      lines.push(`not applied: ${change.message}`);
  }
  return lines.join("\n");
}

export async function typegenCommand(args: ParsedArgs): Promise<string> {
  const { config } = await loadConfig(configPath(args));
  const out = args.flags.get("out");
  const file =
    typeof out === "string"
      ? out
      : typeof config.typegen?.output === "string"
        ? config.typegen.output
        : "lucent-types.ts";
  const kernel = await createKernel({ ...config, typegen: { output: false } }, { migrate: false });
  try {
    const wrote = await writeTypes(
      file,
      kernelTypes(kernel.ctx.collections.values(), kernel.modules),
    );
    return wrote ? `wrote ${file}` : `${file} is up to date`;
  } finally {
    await kernel.stop();
  }
}

export async function secretsCommand(args: ParsedArgs): Promise<string> {
  if (args.words[1] !== "generate-key") throw new CliError("usage: lucent secrets generate-key");
  let secrets: { LucentSecrets: { generateMasterKey(): string } };
  try {
    secrets = (await import("@lucent/secrets" as string)) as typeof secrets;
  } catch {
    throw new CliError("lucent secrets needs @lucent/secrets: bun add @lucent/secrets");
  }
  return secrets.LucentSecrets.generateMasterKey();
}
