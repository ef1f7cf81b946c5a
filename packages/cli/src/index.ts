/**
 * `lucent` as a function, so it can be tested and embedded. Exit codes: 0 on
 * success (help included), 1 when a command could not do its work (one clear
 * message, never a stack), 2 when the command line itself is wrong.
 */
import { ConfigError } from "@lucent/core";
import { type ParsedArgs, parseArgs } from "./args.ts";
import { migrateCommand, secretsCommand, typegenCommand } from "./commands.ts";
import { COMMANDS, commandUsage, globalUsage, nearestCommand } from "./help.ts";
import { CliError } from "./load-config.ts";

export { CliError } from "./load-config.ts";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

const RUNNERS: Record<string, (args: ParsedArgs) => Promise<string>> = {
  migrate: migrateCommand,
  typegen: typegenCommand,
  secrets: secretsCommand,
};

const usageError = (message: string, usage: string): RunResult => ({
  code: 2,
  stdout: "",
  stderr: `${message}\n\n${usage}`,
});

/** A flag or word the command does not take is a usage error, not silently ignored. */
function misuse(name: string, args: ParsedArgs): string | undefined {
  const command = COMMANDS[name]!;
  for (const flag of args.flags.keys()) {
    if (flag !== "config" && flag !== "help" && !(flag in command.flags))
      return `lucent ${name}: unknown option --${flag}`;
  }
  const extra = args.words.slice(1).filter((w) => !command.words?.includes(w));
  if (extra.length > 0) return `lucent ${name}: unexpected "${extra.join(" ")}"`;
  return undefined;
}

export async function run(argv: readonly string[]): Promise<RunResult> {
  const args = parseArgs(argv);
  const command = args.words[0];
  if (!command || command === "help") {
    const wanted = command === "help" ? args.words[1] : undefined;
    if (wanted && Object.hasOwn(COMMANDS, wanted))
      return { code: 0, stdout: commandUsage(wanted), stderr: "" };
    if (args.flags.has("help") || command === "help")
      return { code: 0, stdout: globalUsage(), stderr: "" };
    return usageError("lucent: name a command", globalUsage());
  }
  if (!Object.hasOwn(COMMANDS, command)) {
    const near = nearestCommand(command);
    const hint = near ? ` (did you mean "${near}"?)` : "";
    return usageError(`lucent: unknown command "${command}"${hint}`, globalUsage());
  }
  if (args.flags.has("help")) return { code: 0, stdout: commandUsage(command), stderr: "" };
  const wrong = misuse(command, args);
  if (wrong) return usageError(wrong, commandUsage(command));
  try {
    return { code: 0, stdout: await RUNNERS[command]!(args), stderr: "" };
  } catch (error) {
    // Known problems get one clear message; anything else keeps its message but no stack.
    if (error instanceof ConfigError || error instanceof CliError)
      return { code: 1, stdout: "", stderr: error.message };
    return { code: 1, stdout: "", stderr: `lucent ${command}: ${(error as Error).message}` };
  }
}
