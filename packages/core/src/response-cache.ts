/**
 * Collection GETs: a weak ETag on every response (If-None-Match gives 304)
 * and, when `api.cache` is on, an in-memory cache per caller and URL that
 * every committed write clears, on every instance sharing the event bus.
 */
export interface CacheOptions {
  /** How long an entry may serve. @default 30000 */
  ttlMs?: number;
  /** Entries kept at most; the oldest go first. @default 1000 */
  maxEntries?: number;
}

interface Entry {
  body: string;
  etag: string;
  expires: number;
}

export interface ResponseCache {
  get(key: string): Entry | undefined;
  set(key: string, body: string, etag: string): void;
  clear(): void;
}

export function createResponseCache(options: CacheOptions): ResponseCache {
  const ttl = options.ttlMs ?? 30_000;
  const max = options.maxEntries ?? 1000;
  const entries = new Map<string, Entry>();
  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expires <= Date.now()) {
        entries.delete(key);
        return undefined;
      }
      return entry;
    },
    set(key, body, etag) {
      if (entries.size >= max) entries.delete(entries.keys().next().value as string);
      entries.set(key, { body, etag, expires: Date.now() + ttl });
    },
    clear() {
      entries.clear();
    },
  };
}

export function etagOf(body: string): string {
  return `W/"${Bun.hash(body).toString(36)}-${body.length.toString(36)}"`;
}

function matches(header: string | null, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  const bare = etag.replace(/^W\//, "");
  return header.split(",").some((t) => t.trim().replace(/^W\//, "") === bare);
}

/** Serves a JSON GET through the cache and conditional-request logic. */
export async function serveJsonGet(input: {
  request: Request;
  cache: ResponseCache | undefined;
  cacheKey: string;
  compute: () => Promise<unknown>;
}): Promise<Response> {
  let entry = input.cache?.get(input.cacheKey);
  let body: string;
  let etag: string;
  if (entry) {
    body = entry.body;
    etag = entry.etag;
  } else {
    body = JSON.stringify(await input.compute());
    etag = etagOf(body);
    input.cache?.set(input.cacheKey, body, etag);
    entry = undefined;
  }
  const headers = { etag, "cache-control": "private, no-cache" };
  if (matches(input.request.headers.get("if-none-match"), etag))
    return new Response(null, { status: 304, headers });
  return new Response(body, {
    headers: { ...headers, "content-type": "application/json; charset=utf-8" },
  });
}
