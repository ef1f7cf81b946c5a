/** `lucent` as a function, so it can be tested and embedded. */
import { ConfigError } from "@lucent/core";
import { parseArgs } from "./args.ts";
import { migrateCommand, secretsCommand, typegenCommand, USAGE } from "./commands.ts";
import { CliError } from "./load-config.ts";

export { CliError } from "./load-config.ts";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function run(argv: readonly string[]): Promise<RunResult> {
  const args = parseArgs(argv);
  const command = args.words[0];
  try {
    if (!command || args.flags.has("help"))
      return { code: command ? 0 : 1, stdout: USAGE, stderr: "" };
    switch (command) {
      case "migrate":
        return { code: 0, stdout: await migrateCommand(args), stderr: "" };
      case "typegen":
        return { code: 0, stdout: await typegenCommand(args), stderr: "" };
      case "secrets":
        return { code: 0, stdout: await secretsCommand(args), stderr: "" };
      default:
        return { code: 1, stdout: "", stderr: `unknown command "${command}"\n\n${USAGE}` };
    }
  } catch (error) {
    // Known problems get one clear message; anything else keeps its message but no stack.
    if (error instanceof ConfigError || error instanceof CliError)
      return { code: 1, stdout: "", stderr: error.message };
    return { code: 1, stdout: "", stderr: `lucent ${command}: ${(error as Error).message}` };
  }
}
