import { describe, expect, test } from "bun:test";
import { parseCookies, resolveClientIp } from "./http-request.ts";

const SOCKET = "192.0.2.10";

function ipOf(trustProxy: number, forwardedFor?: string | string[]): string {
  const headers = new Headers();
  for (const value of [forwardedFor ?? []].flat()) headers.append("x-forwarded-for", value);
  const request = new Request("http://localhost/api/notes", { headers });
  return resolveClientIp({ request, socket: SOCKET, trustProxy });
}

describe("the client IP", () => {
  test.each([
    ["no proxy trusted: the socket, whatever X-Forwarded-For says", 0, "203.0.113.7", SOCKET],
    ["one proxy, no header: the socket", 1, undefined, SOCKET],
    ["one proxy: the entry it appended", 1, "203.0.113.7", "203.0.113.7"],
    [
      "one proxy: entries the client wrote to its left are ignored",
      1,
      "6.6.6.6, 203.0.113.7",
      "203.0.113.7",
    ],
    [
      "two proxies: the second entry from the right",
      2,
      "6.6.6.6, 203.0.113.7, 10.0.0.2",
      "203.0.113.7",
    ],
    ["fewer entries than proxies: the leftmost", 3, "203.0.113.7, 10.0.0.2", "203.0.113.7"],
    ["headers sent twice read as one list", 1, ["6.6.6.6", "203.0.113.7"], "203.0.113.7"],
    ["an IPv4 address with a port", 1, "203.0.113.7:4711", "203.0.113.7"],
    ["an IPv6 address", 1, "2001:db8::7", "2001:db8::7"],
    ["a bracketed IPv6 address with a port", 1, "[2001:db8::7]:443", "2001:db8::7"],
    ["an entry that is not an address: the socket", 1, "unknown", SOCKET],
    ["an empty header: the socket", 1, " , ", SOCKET],
  ] as const)("%s", (_, trustProxy, forwardedFor, expected) => {
    expect(ipOf(trustProxy, forwardedFor as string | string[] | undefined)).toBe(expected);
  });

  test("without a socket (app.handle) and no proxy, the client is unknown", () => {
    const request = new Request("http://localhost/api/notes");
    expect(resolveClientIp({ request, socket: undefined, trustProxy: 0 })).toBe("unknown");
  });
});

describe("cookies", () => {
  test("names objects inherit are plain cookie names: kept when sent, absent when not", () => {
    const cookies = parseCookies("__proto__=a; constructor=b; lucent_session=c%20d");
    expect(Object.keys(cookies).sort()).toEqual(["__proto__", "constructor", "lucent_session"]);
    expect(Object.getOwnPropertyDescriptor(cookies, "__proto__")?.value).toBe("a");
    expect(cookies.lucent_session).toBe("c d");
    const none = parseCookies("other=1");
    expect(none.constructor).toBeUndefined();
    expect(none.toString).toBeUndefined();
  });
});
