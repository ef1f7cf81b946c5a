import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { lookup } from "node:dns/promises";
import { hostname } from "node:os";
import type { Doc } from "@lucent/core";
import { type App, eventually, FAST, startApp } from "../test/harness.ts";
import { type Receiver, startReceiver } from "../test/receiver.ts";
import { blockedAddressKind } from "./ip-ranges.ts";
import { resolveTarget, type TargetPolicy } from "./target.ts";

const SECRET = `whsec_${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64")}`;
const names: Record<string, string[]> = {
  "internal.example.com": ["10.0.0.5"],
  "mixed.example.com": ["93.184.216.34", "10.1.2.3"],
  "metadata.example.com": ["169.254.169.254"],
  "public.example.com": ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"],
};
const resolve = async (host: string) => names[host] ?? [];
const strict: TargetPolicy = { allowPrivate: false, allowTargets: new Set(), resolve };

describe("targets refused", () => {
  test.each([
    "http://127.0.0.1/hook",
    "http://[::1]/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.1/",
    "http://192.168.1.1:8080/",
    "http://[::ffff:127.0.0.1]/",
    "http://[fd00::1]/",
    "http://[fe80::1]/",
    "http://0.0.0.0/",
    "http://2130706433/",
    "http://0x7f.1/",
    "http://localhost:3000/",
    "http://internal.example.com/",
    "http://mixed.example.com/",
    "http://metadata.example.com/",
  ])("%s", async (url) => {
    await expect(resolveTarget(url, strict)).rejects.toThrow();
  });

  test("localhost is refused whatever its spelling", async () => {
    for (const url of ["http://localhost./", "http://LOCALHOST:9/", "http://api.localhost/"])
      await expect(resolveTarget(url, strict)).rejects.toThrow(/loopback/);
  });

  test("a name the system resolver maps to a private address is refused (this machine's own name)", async () => {
    const name = hostname();
    const addresses = (await lookup(name, { all: true }).catch(() => [])).map((a) => a.address);
    if (addresses.length === 0 || !addresses.every((a) => blockedAddressKind(a))) return; // not private here
    await expect(
      resolveTarget(`http://${name}:9/`, { allowPrivate: false, allowTargets: new Set() }),
    ).rejects.toThrow(/resolves to a/);
  });

  test("a public name is connected to by the address that was checked, with its own Host", async () => {
    const target = await resolveTarget("https://public.example.com:8443/in?x=1", strict);
    expect(target).toEqual({
      connectUrl: "https://93.184.216.34:8443/in?x=1",
      host: "public.example.com:8443",
      hostname: "public.example.com",
      address: "93.184.216.34",
    });
  });

  test("every blocked range is named, and public addresses pass", () => {
    expect(blockedAddressKind("8.8.8.8")).toBeNull();
    expect(blockedAddressKind("2606:4700::1111")).toBeNull();
    expect(blockedAddressKind("::ffff:8.8.8.8")).toBeNull();
    expect(blockedAddressKind("100.64.0.1")).toBe("shared (CGNAT)");
    expect(blockedAddressKind("64:ff9b::7f00:1")).toBe("loopback");
    expect(blockedAddressKind("2002:7f00:1::")).toBe("loopback");
    expect(blockedAddressKind("ff02::1")).toBe("multicast");
    expect(blockedAddressKind("::")).toBe("unspecified");
    expect(blockedAddressKind("not-an-ip")).toBe("not an IP address");
  });
});

interface Delivery extends Doc {
  status: string;
  attempts: Array<{ outcome: string; statusCode: number | null; error: string | null }>;
}

describe("refused at delivery time, without following redirects", () => {
  let app: App;
  let admin: { token: string };
  let inner: Receiver;
  let redirector: Receiver;
  let pinned: Receiver;

  beforeAll(async () => {
    inner = startReceiver(SECRET);
    redirector = startReceiver(SECRET);
    pinned = startReceiver(SECRET);
    app = await startApp({
      webhooks: {
        ...FAST,
        attempts: 1,
        allowTargets: [`127.0.0.1:${redirector.port}`, "hooks.test"],
        resolve: async (host) =>
          host === "sneaky.example.com" || host === "hooks.test" ? ["127.0.0.1"] : [],
      },
    });
    admin = await app.user("admin@example.com", true);
  });
  afterAll(async () => {
    await app.close();
    for (const r of [inner, redirector, pinned]) r.stop();
  });

  const create = async (url: string, events: string[]) => {
    const res = await app.json(
      "POST",
      "/api/webhooks",
      { url, events, secret: SECRET },
      admin.token,
    );
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  const settled = (id: string) =>
    eventually(async () => {
      const page = (await (
        await app.json("GET", `/api/webhooks/${id}/deliveries`, undefined, admin.token)
      ).json()) as { docs: Delivery[] };
      const d = page.docs[0];
      return d && d.status !== "pending" ? d : undefined;
    });

  test("literal internal addresses are a 400 when the endpoint is saved", async () => {
    for (const url of [
      "http://127.0.0.1/",
      "http://[::1]/",
      "http://169.254.169.254/latest/meta-data/",
    ]) {
      const res = await app.json("POST", "/api/webhooks", { url, events: ["*"] }, admin.token);
      expect(res.status).toBe(400);
    }
  });

  test("a name that resolves to a private address is refused when the delivery is tried", async () => {
    const id = await create(`http://sneaky.example.com:${inner.port}/hook`, ["notes.create"]);
    await app.json("POST", "/api/notes", { title: "to sneaky" });
    const d = await settled(id);
    expect(d.status).toBe("failed");
    expect(d.attempts[0]!.error).toBe(
      "target refused: sneaky.example.com resolves to a loopback address (127.0.0.1)",
    );
    expect(inner.received).toHaveLength(0);
  });

  test("a redirect to an internal address is not followed", async () => {
    redirector.script({ redirect: `${inner.url}?from=redirect` });
    const id = await create(redirector.url, ["tags.create"]);
    await app.json("POST", "/api/tags", { name: "bounce" }, admin.token);
    const d = await settled(id);
    expect(d.status).toBe("failed");
    expect(d.attempts[0]!.statusCode).toBe(302);
    expect(d.attempts[0]!.error).toContain("not followed");
    expect(redirector.received).toHaveLength(1);
    expect(inner.received).toHaveLength(0);
  });

  test("an allowed name is sent to the checked address with the name as Host", async () => {
    const id = await create(`http://hooks.test:${pinned.port}/hook`, ["notes.update"]);
    const note = (await (await app.json("POST", "/api/notes", { title: "x" })).json()) as {
      id: string;
    };
    await app.json("PATCH", `/api/notes/${note.id}`, { title: "y" });
    const d = await settled(id);
    expect(d.status).toBe("delivered");
    expect(pinned.received[0]!.host).toBe(`hooks.test:${pinned.port}`);
    expect(pinned.received[0]!.verified).toBe(true);
  });
});
