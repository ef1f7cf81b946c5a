/**
 * `bun --conditions=lucent-source bench/realtime.ts [--subscribers 10000]
 * [--processes 2] [--burst 40] [--rate 8] [--seconds 10] [--database-url postgres://…]
 * [--only creates]`:
 * @lucent/realtime against the limit, in one run. The limit is a bare
 * Bun.serve that publishes to a topic every client subscribed to; realtime
 * is a Lucent app on Postgres whose subscribers are half WebSocket, half
 * SSE, each filtered by read access. The same client processes (two or
 * more, so the clients are not the bottleneck) connect to each in turn.
 *
 * Measured: deliveries per second in a burst, p50/p99 latency from the
 * write (or publish) to the client at one steady offered rate, resident
 * memory per idle connection, and creates per second with and without
 * realtime installed. Latency is measured from just before the write starts
 * (so it includes the write itself) to the moment a client reads the event.
 *
 * One file, several roles (`--role`): the orchestrator (default), the two
 * servers, and the client processes.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";

const REPO = join(import.meta.dir, "..");
/** Packages resolve from where they are installed in the workspace, not from bench/. */
const fromPackage = (pkg: string, name: string) =>
  Bun.resolveSync(name, join(REPO, "packages", pkg));

const args = new Map<string, string>();
for (let i = 2; i < Bun.argv.length; i += 2)
  args.set(Bun.argv[i]!.replace(/^--/, ""), Bun.argv[i + 1] ?? "");
const role = args.get("role") ?? "orchestrate";

/** One event's frame for the limit: the same size and shape as a realtime WebSocket event. */
function limitFrame(n: number, t: number): string {
  const id = Bun.randomUUIDv7();
  const now = new Date().toISOString();
  return `{"type":"event","subscription":"s","operation":"create","id":"${id}","doc":{"id":"${id}","title":"post ${n}","status":"published","t":${t},"createdAt":"${now}","updatedAt":"${now}"},"cursor":"AaI6xxxxxxxxxxxxxxxxxx:${n}"}`;
}

function rssBytes(): number {
  return process.memoryUsage.rss();
}

/** Runs `count` actions at `rate` per second (0: as fast as they go, `concurrency` at once). */
async function paced(count: number, rate: number, action: (n: number) => Promise<void> | void) {
  const start = performance.now();
  for (let n = 0; n < count; n++) {
    if (rate > 0) {
      const due = start + (n * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await Bun.sleep(wait);
    }
    await action(n);
  }
}

async function limitServer() {
  const server = Bun.serve<undefined>({
    port: 0,
    hostname: "127.0.0.1",
    async fetch(req, srv) {
      const url = new URL(req.url);
      if (url.pathname === "/ws")
        return srv.upgrade(req) ? undefined : new Response("no", { status: 400 });
      if (url.pathname === "/rss") return Response.json({ rss: rssBytes() });
      if (url.pathname === "/publish") {
        const count = Number(url.searchParams.get("count"));
        const rate = Number(url.searchParams.get("rate"));
        await paced(count, rate, (n) => void srv.publish("posts", limitFrame(n, Date.now())));
        return Response.json({ ok: true });
      }
      return new Response("not found", { status: 404 });
    },
    websocket: {
      open(ws) {
        ws.subscribe("posts");
      },
      message() {},
    },
  });
  console.log(`ready ${server.port}`);
}

async function lucentServer() {
  const { Elysia } = (await import(
    fromPackage("core", "elysia")
  )) as typeof import("../packages/core/node_modules/elysia");
  const { createKernel, defineCollection, lucentPlugin } = await import(
    "../packages/core/src/index.ts"
  );
  const { realtime } = await import("../packages/realtime/src/index.ts");
  const withRealtime = args.get("realtime") !== "off";
  const Posts = defineCollection({
    slug: "posts",
    fields: {
      title: { type: "text", required: true },
      status: { type: "select", options: ["draft", "published"], defaultValue: "draft" },
      t: { type: "number" },
    },
    access: {
      read: () => ({ status: { eq: "published" } }),
      create: () => true,
    },
  });
  const kernel = await createKernel({
    db: { url: Bun.env.DATABASE_URL, poolSize: 10 },
    dataDir: await mkdtemp(join(tmpdir(), "lucent-bench-rt-")),
    collections: [Posts],
    typegen: { output: false },
    api: { rateLimit: false },
    modules: withRealtime
      ? [
          realtime({
            maxBacklogBytes: 4 * 1024 * 1024,
            ...(args.get("bus") ? { bus: args.get("bus") as "memory" } : {}),
          }),
        ]
      : [],
  });
  const local = kernel.lucent;
  const app = new Elysia()
    .use(lucentPlugin(kernel, { handleSignals: false }))
    .get("/bench/rss", () => ({ rss: rssBytes() }))
    .post("/bench/write", async ({ query }: { query: Record<string, string | undefined> }) => {
      const count = Number(query.count);
      const rate = Number(query.rate);
      await paced(count, rate, async (n) => {
        await local.create({
          collection: "posts",
          data: { title: `post ${n}`, status: "published", t: Date.now() },
          overrideAccess: true,
        });
      });
      return { ok: true };
    })
    .listen({ port: 0, hostname: "127.0.0.1" });
  console.log(`ready ${app.server!.port}`);
}

/** Client process: `n` connections, counting deliveries and sampling latencies. */
async function clients() {
  const base = args.get("base")!;
  const n = Number(args.get("n"));
  const kind = args.get("kind")!; // "limit" | "realtime"
  const sampleEvery = Number(args.get("sample") ?? "10");
  const sseShare = Number(args.get("sse") ?? "0.5");
  let delivered = 0;
  let samples: number[] = [];
  const T = /"t":(\d+)/;
  const seen = (text: string, sampled: boolean) => {
    if (!sampled) return;
    const m = T.exec(text);
    if (m) samples.push(Date.now() - Number(m[1]));
  };
  const openWs = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(`${base.replace("http", "ws")}/ws`);
      const sampled = i % sampleEvery === 0;
      ws.onopen = () => {
        if (kind === "realtime") ws.send('{"type":"subscribe","id":"s","collection":"posts"}');
        else resolve();
      };
      ws.onmessage = (e) => {
        const text = e.data as string;
        if (text.startsWith('{"type":"event"')) {
          delivered++;
          seen(text, sampled);
        } else if (text.startsWith('{"type":"subscribed"')) resolve();
      };
      ws.onerror = () => reject(new Error("ws error"));
    });
  const openSse = async (i: number) => {
    const res = await fetch(`${base}/api/realtime/posts`);
    const reader = res.body!.getReader();
    const sampled = i % sampleEvery === 0;
    const decoder = new TextDecoder();
    let ready!: () => void;
    const subscribed = new Promise<void>((r) => {
      ready = r;
    });
    void (async () => {
      let carry = "";
      for (let r = await reader.read(); !r.done; r = await reader.read()) {
        const text = carry + decoder.decode(r.value, { stream: true });
        const lines = text.split("\n");
        carry = lines.pop() ?? "";
        for (const line of lines) {
          if (line.startsWith('data: {"collection"')) {
            delivered++;
            seen(line, sampled);
          } else if (line.startsWith("event: subscribed")) ready();
        }
      }
    })();
    await subscribed;
  };
  const opening: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const sse =
      kind === "realtime" &&
      sseShare > 0 &&
      i % Math.round(1 / sseShare) === 1 % Math.round(1 / sseShare);
    opening.push(sse ? openSse(i) : openWs(i));
    if (i % 200 === 199) await Promise.all(opening.splice(0));
  }
  await Promise.all(opening);
  process.send?.({ type: "ready" });
  process.on("message", (m: { type: string }) => {
    if (m.type === "reset") {
      delivered = 0;
      samples = [];
    } else if (m.type === "report") process.send?.({ type: "report", delivered, samples });
  });
}

// --- orchestrator -----------------------------------------------------------------------------

interface ClientReport {
  delivered: number;
  samples: number[];
}

class ClientGroup {
  private reports: Array<(r: ClientReport) => void> = [];
  private constructor(readonly procs: Subprocess[]) {}

  static async start(input: { base: string; kind: string; total: number; processes: number }) {
    const per = Math.ceil(input.total / input.processes);
    const ready: Promise<void>[] = [];
    const group = new ClientGroup([]);
    for (let p = 0; p < input.processes; p++) {
      let resolveReady!: () => void;
      ready.push(new Promise((r) => (resolveReady = r)));
      const proc = Bun.spawn(
        [
          "bun",
          "--conditions=lucent-source",
          import.meta.path,
          "--role",
          "clients",
          "--base",
          input.base,
          "--kind",
          input.kind,
          "--n",
          String(per),
          "--sse",
          args.get("sse") ?? "0.5",
        ],
        {
          env: { ...Bun.env, BUN_CONFIG_MAX_HTTP_REQUESTS: "65000" },
          stdio: ["ignore", "inherit", "inherit"],
          ipc(message: { type: string } & ClientReport) {
            if (message.type === "ready") resolveReady();
            else if (message.type === "report") group.reports.shift()?.(message);
          },
        },
      );
      group.procs.push(proc);
    }
    await Promise.all(ready);
    return group;
  }

  reset() {
    for (const p of this.procs) p.send({ type: "reset" });
  }

  async report(): Promise<ClientReport> {
    const all = await Promise.all(
      this.procs.map((p) => {
        const r = new Promise<ClientReport>((resolve) => this.reports.push(resolve));
        p.send({ type: "report" });
        return r;
      }),
    );
    return {
      delivered: all.reduce((n, r) => n + r.delivered, 0),
      samples: all.flatMap((r) => r.samples),
    };
  }

  async waitDelivered(expected: number, timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { delivered } = await this.report();
      if (delivered >= expected || Date.now() > deadline) return delivered;
      await Bun.sleep(20);
    }
  }

  stop() {
    for (const p of this.procs) p.kill();
  }
}

async function startServer(argv: string[], env: Record<string, string | undefined> = {}) {
  const proc = Bun.spawn(["bun", "--conditions=lucent-source", import.meta.path, ...argv], {
    env: { ...Bun.env, LOG_LEVEL: "warn", NODE_ENV: "production", ...env },
    stdout: "pipe",
    stderr: "inherit",
  });
  const reader = proc.stdout.getReader();
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`server ${argv.join(" ")} exited`);
    text += new TextDecoder().decode(value);
    const m = /ready (\d+)/.exec(text);
    if (m) return { proc, base: `http://127.0.0.1:${m[1]}` };
  }
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

async function rss(url: string): Promise<number> {
  return ((await (await fetch(url)).json()) as { rss: number }).rss;
}

interface Side {
  burstRate: number;
  p50: number;
  p99: number;
  steadyRate: number;
  perConnection: number;
}

async function measure(input: {
  name: string;
  base: string;
  kind: "limit" | "realtime";
  subscribers: number;
  processes: number;
  trigger: (count: number, rate: number) => Promise<void>;
  rssUrl: string;
  burst: number;
  steadyRate: number;
  steadySeconds: number;
}): Promise<Side> {
  const idle = await rss(input.rssUrl);
  const group = await ClientGroup.start({
    base: input.base,
    kind: input.kind,
    total: input.subscribers,
    processes: input.processes,
  });
  await Bun.sleep(2000);
  const connected = await rss(input.rssUrl);
  const subscribers = Math.ceil(input.subscribers / input.processes) * input.processes;
  console.log(`[${input.name}] ${subscribers} subscribers connected`);

  group.reset();
  let start = performance.now();
  await input.trigger(input.burst, 0);
  let delivered = await group.waitDelivered(input.burst * subscribers, 120_000);
  const burstRate = delivered / ((performance.now() - start) / 1000);
  console.log(`[${input.name}] burst: ${delivered} deliveries, ${Math.round(burstRate)}/s`);
  await Bun.sleep(1000);

  group.reset();
  const count = input.steadyRate * input.steadySeconds;
  start = performance.now();
  await input.trigger(count, input.steadyRate);
  delivered = await group.waitDelivered(count * subscribers, 60_000);
  const steadyRate = delivered / ((performance.now() - start) / 1000);
  const { samples } = await group.report();
  samples.sort((a, b) => a - b);
  group.stop();
  await Bun.sleep(1000);
  return {
    burstRate,
    steadyRate,
    p50: percentile(samples, 0.5),
    p99: percentile(samples, 0.99),
    perConnection: (connected - idle) / subscribers,
  };
}

const EMPTY: Side = { burstRate: 0, p50: 0, p99: 0, steadyRate: 0, perConnection: 0 };

async function createRate(base: string, seconds: number, concurrency: number): Promise<number> {
  let done = 0;
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        const res = await fetch(`${base}/api/posts`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ title: "c", status: "draft" }),
        });
        await res.arrayBuffer();
        if (res.status === 201) done++;
      }
    }),
  );
  return done / seconds;
}

async function orchestrate() {
  const subscribers = Number(args.get("subscribers") ?? "10000");
  const processes = Number(args.get("processes") ?? "2");
  const burst = Number(args.get("burst") ?? "40");
  const steadyRate = Number(args.get("rate") ?? "8");
  const steadySeconds = Number(args.get("seconds") ?? "10");
  const server = args.get("database-url") ?? "postgres://postgres@127.0.0.1:5432/test";
  const { default: postgres } = (await import(fromPackage("core", "postgres"))) as {
    default: typeof import("postgres");
  };
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  const names = [`lucent_bench_rt_${Date.now()}`, `lucent_bench_nort_${Date.now()}`];
  for (const name of names) await admin.unsafe(`create database "${name}"`);
  const urlOf = (name: string) =>
    Object.assign(new URL(server), { pathname: `/${name}` }).toString();
  const spawned: Subprocess[] = [];
  try {
    const limit = await startServer(["--role", "limit-server"]);
    const lucent = await startServer(["--role", "lucent-server"], {
      DATABASE_URL: urlOf(names[0]!),
    });
    const bare = await startServer(["--role", "lucent-server", "--realtime", "off"], {
      DATABASE_URL: urlOf(names[1]!),
    });
    spawned.push(limit.proc, lucent.proc, bare.proc);

    const common = { subscribers, processes, burst, steadyRate, steadySeconds };
    const createsOnly = args.get("only") === "creates";
    const limitSide = createsOnly
      ? EMPTY
      : await measure({
          ...common,
          name: "limit",
          base: limit.base,
          kind: "limit",
          rssUrl: `${limit.base}/rss`,
          trigger: async (count, rate) => {
            await fetch(`${limit.base}/publish?count=${count}&rate=${rate}`);
          },
        });
    const realtimeSide = createsOnly
      ? EMPTY
      : await measure({
          ...common,
          name: "realtime",
          base: lucent.base,
          kind: "realtime",
          rssUrl: `${lucent.base}/bench/rss`,
          trigger: async (count, rate) => {
            await fetch(`${lucent.base}/bench/write?count=${count}&rate=${rate}`, {
              method: "POST",
            });
          },
        });

    // Creates, alternating so that neither gets the quieter moment of the machine.
    const rates = { with: [] as number[], without: [] as number[] };
    for (let round = 0; round < 2; round++) {
      rates.without.push(await createRate(bare.base, 5, 32));
      rates.with.push(await createRate(lucent.base, 5, 32));
    }
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const createsWith = avg(rates.with);
    const createsWithout = avg(rates.without);

    const row = (name: string, l: string, r: string, aim: string, ok: boolean) =>
      `| ${name} | ${l} | ${r} | ${aim} | ${ok ? "met" : "missed"} |`;
    const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
    console.log(
      `\n${subscribers} subscribers (realtime: ${Math.round(Number(args.get("sse") ?? "0.5") * 100)}% SSE, the rest WebSocket), ${processes} client processes, burst of ${burst} events, steady ${steadyRate} events/s for ${steadySeconds} s\n`,
    );
    console.log("| measure | limit (bare Bun.serve publish) | @lucent/realtime | aim | |");
    console.log("|---|---|---|---|---|");
    console.log(
      row(
        "deliveries/s, burst",
        fmt(limitSide.burstRate),
        fmt(realtimeSide.burstRate),
        "≥ 50% of the limit",
        realtimeSide.burstRate >= 0.5 * limitSide.burstRate,
      ),
    );
    console.log(
      row(
        "deliveries/s, steady",
        fmt(limitSide.steadyRate),
        fmt(realtimeSide.steadyRate),
        "—",
        true,
      ),
    );
    console.log(
      row("latency p50 (ms), steady", fmt(limitSide.p50), fmt(realtimeSide.p50), "—", true),
    );
    console.log(
      row(
        "latency p99 (ms), steady",
        fmt(limitSide.p99),
        fmt(realtimeSide.p99),
        "≤ 2× the limit's",
        realtimeSide.p99 <= 2 * limitSide.p99,
      ),
    );
    console.log(
      row(
        "RSS per idle connection (bytes)",
        fmt(limitSide.perConnection),
        fmt(realtimeSide.perConnection),
        "≤ 16 KB",
        realtimeSide.perConnection <= 16 * 1024,
      ),
    );
    console.log(
      row(
        "creates/s (32 concurrent)",
        `${fmt(createsWithout)} without realtime`,
        fmt(createsWith),
        "≥ 85% of without",
        createsWith >= 0.85 * createsWithout,
      ),
    );
  } finally {
    for (const p of spawned) p.kill();
    await Promise.all(spawned.map((p) => p.exited));
    for (const name of names) await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}

if (role === "limit-server") await limitServer();
else if (role === "lucent-server") await lucentServer();
else if (role === "clients") await clients();
else await orchestrate();
