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
}

export function createLogger(options: LoggerOptions = {}): Logger {
  // Under `bun test` (NODE_ENV=test) logs stay quiet unless LOG_LEVEL asks for them.
  const level =
    options.level ?? Bun.env.LOG_LEVEL ?? (Bun.env.NODE_ENV === "test" ? "silent" : "info");
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    },
    options.destination,
  );
}
