/** What `lucent --help` and `lucent <command> --help` print, and the flags each command takes. */

export interface CommandHelp {
  /** One line for the global list. */
  summary: string;
  usage: string;
  /** Flags the command accepts (besides `--config` and `--help`), with the text that explains them. */
  flags: Readonly<Record<string, string>>;
  /** Words after the command name it takes (`generate-key`). */
  words?: readonly string[];
}

export const COMMANDS: Readonly<Record<string, CommandHelp>> = {
  migrate: {
    summary: "apply additive migrations (--dry-run prints the SQL)",
    usage: "lucent migrate [--dry-run] [--drop-orphaned] [--config <file>]",
    flags: {
      "dry-run": "print the plan as SQL and change nothing",
      "drop-orphaned": "also drop columns and tables no field or collection names (data loss)",
    },
  },
  typegen: {
    summary: "write lucent-types.ts from the config",
    usage: "lucent typegen [--out <file>] [--config <file>]",
    flags: {
      out: "the file to write (default: the config's typegen.output, else lucent-types.ts)",
    },
  },
  secrets: {
    summary: "print a new master key for LUCENT_SECRETS_KEY",
    usage: "lucent secrets generate-key",
    flags: {},
    words: ["generate-key"],
  },
};

const CONFIG_FLAG =
  "  --config <file>   the config module (default: lucent.config.ts, src/lucent.config.ts)";

export function globalUsage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length)) + 2;
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}${c.summary}`);
  return [
    "Usage: lucent <command> [options]",
    "",
    "Commands:",
    ...lines,
    "",
    "Options:",
    CONFIG_FLAG,
    "  --help            this text; `lucent <command> --help` for one command",
  ].join("\n");
}

export function commandUsage(name: string): string {
  const command = COMMANDS[name]!;
  const flags = Object.entries(command.flags).map(
    ([flag, text]) => `  --${flag.padEnd(15)} ${text}`,
  );
  return [
    `Usage: ${command.usage}`,
    "",
    command.summary,
    ...(flags.length > 0 || name !== "secrets" ? ["", "Options:", ...flags] : []),
    ...(name !== "secrets" ? [CONFIG_FLAG] : []),
  ].join("\n");
}

/** The command nearest to a mistyped one, when it is near enough to be a typo. */
export function nearestCommand(typed: string): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of Object.keys(COMMANDS)) {
    const distance = editDistance(typed, name);
    if (!best || distance < best.distance) best = { name, distance };
  }
  return best && best.distance <= 2 ? best.name : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}
