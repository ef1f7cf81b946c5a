/**
 * Where a webhook may be sent. An endpoint URL is checked twice: its shape
 * when it is saved (`checkEndpointUrl`, a 400 for the admin), and, before
 * every attempt, every address its name resolves to (`resolveTarget`): one
 * private answer refuses the target, so a name cannot smuggle in an internal
 * address beside a public one. The attempt then connects to the address that
 * was checked, not to the name again, so a second DNS answer cannot differ
 * from the first (DNS rebinding).
 */
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { blockedAddressKind } from "./ip-ranges.ts";

/** Every address a host name resolves to. */
export type Resolver = (hostname: string) => Promise<readonly string[]>;

export interface TargetPolicy {
  allowPrivate: boolean;
  /** Lower-case `host` or `host:port` entries exempt from the address check. */
  allowTargets: ReadonlySet<string>;
  resolve?: Resolver | undefined;
}

/** A target the policy refuses; the message says why, for the attempt's record or a 400. */
export class TargetRefusedError extends Error {
  override name = "TargetRefusedError";
}

export interface CheckedTarget {
  /** The URL to connect to: the checked address in place of the name. */
  connectUrl: string;
  /** The `Host` header (and TLS server name) the receiver expects. */
  host: string;
  hostname: string;
  address: string;
}

const MAX_URL_LENGTH = 2048;

const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

function bareHostname(url: URL): string {
  const h = url.hostname.toLowerCase();
  if (h.startsWith("[") && h.endsWith("]")) return h.slice(1, -1);
  // "localhost." is "localhost": the root label changes nothing about where it points.
  return h.endsWith(".") ? h.slice(0, -1) : h;
}

function defaultPort(url: URL): string {
  return url.port || (url.protocol === "https:" ? "443" : "80");
}

function isAllowed(url: URL, policy: TargetPolicy): boolean {
  if (policy.allowPrivate) return true;
  const host = bareHostname(url);
  return (
    policy.allowTargets.has(host) ||
    policy.allowTargets.has(`${host}:${defaultPort(url)}`) ||
    policy.allowTargets.has(url.host.toLowerCase())
  );
}

/** The shape of an endpoint URL: absolute http(s), no credentials, and no literal internal address. */
export function checkEndpointUrl(input: unknown, policy: TargetPolicy): URL {
  if (typeof input !== "string" || input.length === 0)
    throw new TargetRefusedError("must be a URL");
  if (input.length > MAX_URL_LENGTH)
    throw new TargetRefusedError(`must be at most ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new TargetRefusedError("must be an absolute http:// or https:// URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new TargetRefusedError("must be an absolute http:// or https:// URL");
  if (url.username || url.password) throw new TargetRefusedError("must not carry credentials");
  if (url.hash) throw new TargetRefusedError("must not have a #fragment");
  if (isAllowed(url, policy)) return url;
  const host = bareHostname(url);
  if (host === "localhost" || host.endsWith(".localhost"))
    throw new TargetRefusedError("must not point at a loopback address");
  if (isIP(host)) {
    const kind = blockedAddressKind(host);
    if (kind) throw new TargetRefusedError(`must not point at a ${kind} address`);
  }
  return url;
}

/** Checks the URL and every address of its host; the answer says where to connect. */
export async function resolveTarget(input: string, policy: TargetPolicy): Promise<CheckedTarget> {
  const url = checkEndpointUrl(input, policy);
  const hostname = bareHostname(url);
  let addresses: readonly string[];
  if (isIP(hostname)) addresses = [hostname];
  else {
    try {
      addresses = await (policy.resolve ?? systemResolver)(hostname);
    } catch (error) {
      throw new TargetRefusedError(`cannot resolve ${hostname}: ${(error as Error).message}`);
    }
    if (addresses.length === 0) throw new TargetRefusedError(`${hostname} has no address`);
  }
  if (!isAllowed(url, policy)) {
    for (const address of addresses) {
      const kind = blockedAddressKind(address);
      if (kind)
        throw new TargetRefusedError(`${hostname} resolves to a ${kind} address (${address})`);
    }
  }
  const address = addresses[0]!;
  const connect = new URL(url);
  connect.hostname = isIP(address) === 6 ? `[${address}]` : address;
  return { connectUrl: connect.toString(), host: url.host, hostname, address };
}
