/**
 * The credentials load requests carry. The demo requires sign-in for writes
 * and shows drafts only to their authors, so a bench user registers on the
 * running Lucent server and every request carries its access token. Both
 * servers get the same headers, so request sizes stay equal; the baseline
 * ignores them. `--header`/`--token` given on the command line win.
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
  const given = Object.keys(options.headers).some((h) => h.toLowerCase() === "authorization");
  if (given) return { ...options.headers };
  const res = await fetch(`${options.baseUrl}/api/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      email: `bench-${Bun.randomUUIDv7()}@example.com`,
      password: `bench-${Bun.randomUUIDv7()}`,
      name: "Bench",
    }),
  });
  // A demo without @lucent/auth has no register route: run anonymous.
  if (res.status === 404) return { ...options.headers };
  if (res.status !== 201)
    throw new Error(`bench sign-in failed: ${res.status} ${await res.text()}`);
  const { accessToken } = (await res.json()) as { accessToken: string };
  return { ...options.headers, authorization: `Bearer ${accessToken}` };
}
