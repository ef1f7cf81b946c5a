/**
 * Collection GETs: a weak ETag on every response (If-None-Match gives 304)
 * and, when `api.cache` is on, an in-memory cache per caller and URL that
 * every committed write clears, on every instance sharing the event bus.
 *
 * A clear also starts a new generation. A response is stored only if no
 * clear happened while it was computed: a slow list that read the database
 * before a write would otherwise store its stale result after the write's
 * clear, and serve it for the whole TTL.
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
  /** Moves on with every clear; read it before computing, hand it to `set` after. */
  readonly generation: number;
  get(key: string): Entry | undefined;
  /** Stores the entry, unless the cache was cleared since `generation` was read. */
  set(key: string, body: string, etag: string, generation: number): void;
  clear(): void;
}

export function createResponseCache(options: CacheOptions): ResponseCache {
  const ttl = options.ttlMs ?? 30_000;
  const max = options.maxEntries ?? 1000;
  const entries = new Map<string, Entry>();
  let generation = 0;
  return {
    get generation() {
      return generation;
    },
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expires <= Date.now()) {
        entries.delete(key);
        return undefined;
      }
      return entry;
    },
    set(key, body, etag, computedIn) {
      if (computedIn !== generation) return;
      if (entries.size >= max) entries.delete(entries.keys().next().value as string);
      entries.set(key, { body, etag, expires: Date.now() + ttl });
    },
    clear() {
      generation += 1;
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
    const generation = input.cache?.generation ?? 0;
    body = JSON.stringify(await input.compute());
    etag = etagOf(body);
    input.cache?.set(input.cacheKey, body, etag, generation);
    entry = undefined;
  }
  const headers = { etag, "cache-control": "private, no-cache" };
  if (matches(input.request.headers.get("if-none-match"), etag))
    return new Response(null, { status: 304, headers });
  return new Response(body, {
    headers: { ...headers, "content-type": "application/json; charset=utf-8" },
  });
}
