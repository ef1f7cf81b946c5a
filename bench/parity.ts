/**
 * Before any load: both servers must answer the read endpoints with the
 * same JSON, byte for byte, and a create with a document of the same shape.
 * Otherwise the comparison would be of different work.
 */
import type { Endpoint } from "./endpoints.ts";
import { UNIQUE } from "./endpoints.ts";

export interface ParityResult {
  endpoint: string;
  same: boolean;
  detail?: string;
}

async function fetchJson(
  baseUrl: string,
  endpoint: Endpoint,
  headers: Record<string, string>,
  token: string,
): Promise<{ status: number; body: unknown }> {
  const body = endpoint.bodyTemplate?.replace(UNIQUE, token);
  const res = await fetch(`${baseUrl}${endpoint.paths[0]}`, {
    method: endpoint.method,
    headers: body ? { ...headers, "content-type": "application/json" } : headers,
    body: body ?? null,
  });
  return { status: res.status, body: await res.json() };
}

/** Keys of a document, recursively, with values replaced by their JSON type. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]));
  }
  return value === null ? "null" : typeof value;
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `baseline …${a.slice(Math.max(0, i - 60), i + 60)}… vs lucent …${b.slice(Math.max(0, i - 60), i + 60)}…`;
}

export async function checkParity(
  baselineUrl: string,
  lucentUrl: string,
  list: readonly Endpoint[],
  headers: Record<string, string>,
): Promise<ParityResult[]> {
  const out: ParityResult[] = [];
  for (const endpoint of list) {
    const token = `parity-${Date.now().toString(36)}`;
    const [a, b] = await Promise.all([
      fetchJson(baselineUrl, endpoint, headers, `${token}-b`),
      fetchJson(lucentUrl, endpoint, headers, `${token}-l`),
    ]);
    if (a.status !== b.status) {
      out.push({
        endpoint: endpoint.label,
        same: false,
        detail: `status ${a.status} vs ${b.status}`,
      });
      continue;
    }
    const left = JSON.stringify(endpoint.method === "GET" ? a.body : shape(a.body));
    const right = JSON.stringify(endpoint.method === "GET" ? b.body : shape(b.body));
    out.push(
      left === right
        ? { endpoint: endpoint.label, same: true }
        : { endpoint: endpoint.label, same: false, detail: firstDifference(left, right) },
    );
  }
  return out;
}
