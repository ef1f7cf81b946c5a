/**
 * The credentials load requests carry. The demo's posts accept anonymous
 * reads and writes today, so this only passes on `--header`/`--token`.
 * Once the demo requires sign-in, sign a bench user in here (register, then
 * log in against `baseUrl`) and return its `Authorization` header: every
 * request of both servers then carries it, so request sizes stay equal.
 */
export interface LucentHeadersOptions {
  /** The running Lucent server, for a sign-in step. */
  baseUrl: string;
  /** Headers given on the command line. */
  headers: Record<string, string>;
}

export async function lucentHeaders(
  options: LucentHeadersOptions,
): Promise<Record<string, string>> {
  return { ...options.headers };
}
