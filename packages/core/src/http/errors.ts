/** Named errors carrying the contract's codes (CONTRACT §5). */

export type ErrorCode =
  | "VALIDATION_ERROR"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "EMAIL_NOT_VERIFIED"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PAYLOAD_TOO_LARGE"
  | "ACCOUNT_LOCKED"
  | "RATE_LIMITED"
  | "INTERNAL"
  | "UNAVAILABLE";

export interface ErrorDetail {
  path: string;
  message: string;
}

/** The body of every error response. */
export interface ErrorEnvelope {
  error: {
    code: ErrorCode;
    message: string;
    details?: ErrorDetail[];
    requestId: string;
  };
}

const STATUS: Record<ErrorCode, number> = {
  VALIDATION_ERROR: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  EMAIL_NOT_VERIFIED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  ACCOUNT_LOCKED: 423,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
};

export class LucentError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: ErrorDetail[] | undefined;
  /** Extra response headers (e.g. Retry-After). */
  readonly headers: Record<string, string> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: ErrorDetail[]; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "LucentError";
    this.code = code;
    this.status = STATUS[code];
    this.details = options.details;
    this.headers = options.headers;
  }

  toEnvelope(requestId: string): ErrorEnvelope {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details ? { details: this.details } : {}),
        requestId,
      },
    };
  }
}

/** At most this many problems are listed in `details` (CONTRACT §5). */
export const MAX_DETAILS = 20;
/** Client input echoed in an error (an unknown key, a field name) is cut to this length. */
const MAX_ECHO = 500;

function clip(text: string): string {
  return text.length > MAX_ECHO ? `${text.slice(0, MAX_ECHO)}…` : text;
}

export class ValidationError extends LucentError {
  constructor(details: ErrorDetail[], message?: string) {
    // A body of thousands of unknown keys must not become a larger error than itself.
    const listed = details
      .slice(0, MAX_DETAILS)
      .map((d) => ({ path: clip(d.path), message: clip(d.message) }));
    const first = listed[0];
    const more = details.length - listed.length;
    const text =
      message === undefined ? (first ? describe(first) : "invalid request") : clip(message);
    super("VALIDATION_ERROR", more > 0 ? `${text} (and ${more} more problems not listed)` : text, {
      details: listed,
    });
    this.name = "ValidationError";
  }
}

function describe(detail: ErrorDetail): string {
  return detail.path ? `${detail.path}: ${detail.message}` : detail.message;
}

export class NotFoundError extends LucentError {
  constructor(message = "not found") {
    super("NOT_FOUND", message);
    this.name = "NotFoundError";
  }
}

export class ForbiddenError extends LucentError {
  constructor(message = "forbidden") {
    super("FORBIDDEN", message);
    this.name = "ForbiddenError";
  }
}

export class UnauthorizedError extends LucentError {
  constructor(message = "authentication required") {
    super("UNAUTHORIZED", message);
    this.name = "UnauthorizedError";
  }
}

export class ConflictError extends LucentError {
  constructor(message: string, details?: ErrorDetail[]) {
    super("CONFLICT", message, details ? { details } : {});
    this.name = "ConflictError";
  }
}

/** Shorthand for a single-detail validation error. */
export function invalid(path: string, message: string): ValidationError {
  return new ValidationError([{ path, message }]);
}

/**
 * A problem that stops startup (bad config, a weak secret, an unreachable
 * database): one line per problem. It is built without a stack trace, so an
 * app that lets it escape `await lucent(config)` prints those lines and exits
 * 1, with no code frame or stack.
 */
export class ConfigError extends Error {
  declare readonly problems: string[];
  constructor(problems: string[], heading = "Invalid Lucent configuration") {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(`${heading}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.name = "ConfigError";
    // Not enumerable: Bun prints an uncaught error's own properties after its message.
    Object.defineProperty(this, "problems", { value: problems, enumerable: false });
  }
}
