/** A small argv parser: positional words and `--flag` / `--key value` options. */
export interface ParsedArgs {
  words: string[];
  flags: Map<string, string | true>;
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const words: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    // `-h` is the one short flag anyone types.
    if (arg === "-h") {
      flags.set("help", true);
      continue;
    }
    if (!arg.startsWith("--")) {
      words.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split("=", 2) as [string, string | undefined];
    if (inline !== undefined) flags.set(name, inline);
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith("--") && VALUED.has(name))
      flags.set(name, argv[++i]!);
    else flags.set(name, true);
  }
  return { words, flags };
}

/** Options that take a value. */
const VALUED = new Set(["config", "out"]);
