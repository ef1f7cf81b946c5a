/**
 * Which addresses a webhook may not reach: loopback, private, link-local,
 * unique-local, shared (CGNAT), multicast, reserved, documentation and
 * unspecified ranges, for IPv4 and IPv6, with an IPv4 address inside an IPv6
 * one (mapped, compatible, NAT64, 6to4) judged as the IPv4 address it holds.
 */
import { isIPv4, isIPv6 } from "node:net";

/** [first octets as a number, prefix length, what it is] */
const V4_BLOCKED: ReadonlyArray<readonly [string, number, string]> = [
  ["0.0.0.0", 8, "unspecified"],
  ["10.0.0.0", 8, "private"],
  ["100.64.0.0", 10, "shared (CGNAT)"],
  ["127.0.0.0", 8, "loopback"],
  ["169.254.0.0", 16, "link-local"],
  ["172.16.0.0", 12, "private"],
  ["192.0.0.0", 24, "IETF protocol"],
  ["192.0.2.0", 24, "documentation"],
  ["192.88.99.0", 24, "6to4 relay"],
  ["192.168.0.0", 16, "private"],
  ["198.18.0.0", 15, "benchmarking"],
  ["198.51.100.0", 24, "documentation"],
  ["203.0.113.0", 24, "documentation"],
  ["224.0.0.0", 4, "multicast"],
  ["240.0.0.0", 4, "reserved"],
];

function v4ToInt(ip: string): number {
  return ip.split(".").reduce((n, part) => n * 256 + Number(part), 0);
}

const V4_RANGES = V4_BLOCKED.map(([base, bits, kind]) => ({
  base: v4ToInt(base),
  size: 2 ** (32 - bits),
  kind,
}));

function v4Kind(ip: string): string | null {
  const n = v4ToInt(ip);
  for (const range of V4_RANGES)
    if (n >= range.base && n < range.base + range.size) return range.kind;
  return null;
}

/** The eight 16-bit groups of an IPv6 address (an embedded dotted IPv4 tail included). */
function v6Groups(ip: string): number[] {
  let text = ip.toLowerCase();
  const zone = text.indexOf("%");
  if (zone >= 0) text = text.slice(0, zone);
  const tail = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (tail) {
    const n = v4ToInt(tail[1]!);
    text = `${text.slice(0, -tail[1]!.length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head = "", rest] = text.split("::");
  const left = head ? head.split(":") : [];
  const right = rest ? rest.split(":") : [];
  const missing = rest === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill("0"), ...right].map((g) =>
    Number.parseInt(g, 16),
  );
}

function embeddedV4(groups: number[], from: number): string {
  const hi = groups[from]!;
  const lo = groups[from + 1]!;
  return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
}

function v6Kind(ip: string): string | null {
  const g = v6Groups(ip);
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(8)) return "unspecified";
  if (zeroUpTo(7) && g[7] === 1) return "loopback";
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible) reach the IPv4 address.
  if (zeroUpTo(5) && (g[5] === 0xffff || g[5] === 0)) return v4Kind(embeddedV4(g, 6));
  // 64:ff9b::/96 (NAT64) and 2002::/16 (6to4) carry an IPv4 destination too.
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0))
    return v4Kind(embeddedV4(g, 6));
  if (g[0] === 0x2002) return v4Kind(embeddedV4(g, 1));
  const first = g[0]!;
  if ((first & 0xfe00) === 0xfc00) return "unique-local";
  if ((first & 0xffc0) === 0xfe80) return "link-local";
  if ((first & 0xffc0) === 0xfec0) return "site-local";
  if ((first & 0xff00) === 0xff00) return "multicast";
  if (first === 0x2001 && g[1] === 0xdb8) return "documentation";
  if (first === 0x100 && zeroUpTo(4)) return "discard";
  return null;
}

/**
 * Why `ip` may not be a webhook target ("loopback", "private", ...), or null
 * for a public address. Something that is not an IP address is refused too.
 */
export function blockedAddressKind(ip: string): string | null {
  const bare = ip.startsWith("[") && ip.endsWith("]") ? ip.slice(1, -1) : ip;
  if (isIPv4(bare)) return v4Kind(bare);
  if (isIPv6(bare)) return v6Kind(bare);
  return "not an IP address";
}
