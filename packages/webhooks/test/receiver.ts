/**
 * A real HTTP receiver on 127.0.0.1 that verifies every request with the
 * `standardwebhooks` library, as a customer's server would, and answers as
 * the test scripts it: succeed, fail, hang past the sender's timeout, redirect.
 */
import { Webhook } from "standardwebhooks";

export type Behaviour = "ok" | "fail" | "hang" | { redirect: string };

export interface Received {
  id: string;
  timestamp: number;
  verified: boolean;
  payload: unknown;
  at: number;
  answeredWith: string;
  host: string;
}

export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** Behaviours for the next requests, in order; then `fallback`. */
  script(...next: Behaviour[]): void;
  fallback: Behaviour;
  /** Resolves when `n` requests have arrived. */
  waitFor(n: number, timeoutMs?: number): Promise<Received[]>;
  /** Releases requests held by "hang". */
  release(): void;
  stop(): void;
}

export function startReceiver(secret: string, path = "/hook"): Receiver {
  const webhook = new Webhook(secret);
  const queue: Behaviour[] = [];
  const held: Array<() => void> = [];
  const received: Received[] = [];
  const receiver: Receiver = {
    url: "",
    port: 0,
    received,
    fallback: "ok",
    script: (...next) => void queue.push(...next),
    async waitFor(n, timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      while (received.length < n) {
        if (Date.now() > until) throw new Error(`receiver got ${received.length} of ${n} requests`);
        await Bun.sleep(20);
      }
      return received;
    },
    release: () => {
      for (const r of held.splice(0)) r();
    },
    stop: () => server.stop(true),
  };
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    async fetch(request) {
      const body = await request.text();
      const headers = Object.fromEntries(request.headers);
      let verified = false;
      let payload: unknown = null;
      try {
        payload = webhook.verify(body, headers);
        verified = true;
      } catch {}
      const behaviour = queue.shift() ?? receiver.fallback;
      const answeredWith = typeof behaviour === "string" ? behaviour : "redirect";
      received.push({
        id: headers["webhook-id"] ?? "",
        timestamp: Number(headers["webhook-timestamp"]),
        verified,
        payload,
        at: Date.now(),
        answeredWith,
        host: headers.host ?? "",
      });
      if (behaviour === "ok") return new Response("thanks");
      if (behaviour === "fail") return new Response("boom", { status: 500 });
      if (behaviour === "hang") {
        await new Promise<void>((resolve) => held.push(resolve));
        return new Response("late");
      }
      return new Response(null, { status: 302, headers: { location: behaviour.redirect } });
    },
  });
  receiver.port = server.port!;
  receiver.url = `http://127.0.0.1:${server.port}${path}`;
  return receiver;
}
