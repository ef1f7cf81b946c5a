/** pino, with secrets redacted wherever they may appear in a log object. */
import pino from "pino";

export type Logger = pino.Logger;

/** Keys whose values never reach a log line, at any depth we log. */
const REDACT_PATHS = [
  "password",
  "*.password",
  "token",
  "*.token",
  "accessToken",
  "*.accessToken",
  "refreshToken",
  "*.refreshToken",
  "key",
  "*.key",
  "secret",
  "*.secret",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "headers.cookie",
  'headers["x-api-key"]',
  "*.headers.authorization",
  "*.headers.cookie",
];

export interface LoggerOptions {
  /** @default LOG_LEVEL or "info" */
  level?: string;
  /** Where lines go. @default stdout */
  destination?: pino.DestinationStream;
  /**
   * Human-readable lines (pino-pretty) instead of JSON.
   * @default in development (NODE_ENV unset or "development") when stdout is a terminal
   */
  pretty?: boolean;
}

/** A terminal in development: people read it. Anything else (a file, a collector, CI) gets JSON. */
function prettyByDefault(): boolean {
  return (Bun.env.NODE_ENV ?? "development") === "development" && process.stdout.isTTY === true;
}

function prettyStream(destination: pino.DestinationStream | undefined): pino.DestinationStream {
  // Loaded only when wanted: a production process never reads it.
  const pretty = require("pino-pretty") as typeof import("pino-pretty");
  const options = { translateTime: "HH:MM:ss.l", ignore: "pid,hostname" };
  if (destination) {
    // A caller's destination (a test's capture) gets the formatted text, uncoloured.
    const format = pretty.prettyFactory({ ...options, colorize: false });
    return { write: (line: string) => destination.write(format(line)) };
  }
  // Synchronous, like pino's own stdout: no line is lost when the process exits.
  return pretty({ ...options, colorize: true, sync: true });
}

export function createLogger(options: LoggerOptions = {}): Logger {
  // Under `bun test` (NODE_ENV=test) logs stay quiet unless LOG_LEVEL asks for them.
  const level =
    options.level ?? Bun.env.LOG_LEVEL ?? (Bun.env.NODE_ENV === "test" ? "silent" : "info");
  const pretty = options.pretty ?? (options.destination === undefined && prettyByDefault());
  return pino(
    {
      level,
      base: undefined,
      // Redaction happens before any line is formatted: pretty lines hide the same values.
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    },
    pretty ? prettyStream(options.destination) : options.destination,
  );
}
