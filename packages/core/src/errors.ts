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
  | "INTERNAL";

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

export class ValidationError extends LucentError {
  constructor(details: ErrorDetail[], message?: string) {
    const first = details[0];
    super("VALIDATION_ERROR", message ?? (first ? describe(first) : "invalid request"), {
      details,
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

/** A configuration problem found at startup: one line per problem, no stack. */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid Lucent configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}
