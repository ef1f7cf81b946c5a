/**
 * A name no other test uses: suites share one backend (one Redis, one SMTP
 * sink) across their tests, so each test works under names of its own.
 */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
