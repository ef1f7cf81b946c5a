/**
 * Creates per second with @lucent/webhooks and @lucent/audit installed,
 * against the same app without them (issue 18: aim >= 80%).
 *
 *   bun --conditions=lucent-source bench/webhooks.ts [--slices 10] [--seconds 2] [--connections 32]
 *
 * Each configuration is its own server process on a fresh Postgres database
 * (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres
 * as the admin connection), loaded over HTTP from this process with
 * `--connections` concurrent POSTs of one note each:
 *
 *   plain      core + auth
 *   audit      core + auth + audit
 *   webhooks   core + auth + webhooks, no endpoint
 *   installed  core + auth + audit + webhooks, no endpoint
 *   delivering core + auth + audit + webhooks, one endpoint taking notes.create,
 *              a receiver on 127.0.0.1 answering 200 (deliveries run in the same process)
 *
 * The servers of a comparison run side by side and take the load in turns,
 * in short slices (order alternating), so background load on a shared
 * machine weighs on each alike; the mean rate over the slices is reported.
 */
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "2" },
    slices: { type: "string", default: "10" },
    connections: { type: "string", default: "32" },
    serve: { type: "string" },
  },
});
const ADMIN_URL = Bun.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const CONFIGS = ["plain", "audit", "webhooks", "installed", "delivering"] as const;
type Config = (typeof CONFIGS)[number];

if (values.serve) await serve(values.serve as Config);
else await main();

async function serve(config: Config) {
  const { mkdtempSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const { auth } = await import("../packages/auth/src/index.ts");
  const { audit } = await import("../packages/audit/src/index.ts");
  const { createKernel, defineCollection, lucentPlugin } = await import(
    "../packages/core/src/index.ts"
  );
  const { webhooks } = await import("../packages/webhooks/src/index.ts");
  const Users = defineCollection({ slug: "users", auth: true, fields: { role: { type: "text" } } });
  const Notes = defineCollection({
    slug: "notes",
    fields: { title: { type: "text", required: true }, body: { type: "text" } },
    access: { create: () => true },
  });
  const extra = {
    plain: [],
    audit: [audit()],
    webhooks: [webhooks({ allowPrivate: true })],
    installed: [audit(), webhooks({ allowPrivate: true })],
    delivering: [audit(), webhooks({ allowPrivate: true })],
  }[config];
  const kernel = await createKernel({
    db: { url: Bun.env.BENCH_DB_URL! },
    dataDir: mkdtempSync(join(tmpdir(), "lucent-bench-webhooks-")),
    collections: [Users, Notes],
    modules: [auth({ mail: { transport: "console" } }), ...extra],
    typegen: { output: false },
    api: { rateLimit: false },
  });
  if (config === "delivering") {
    const receiver = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("ok") });
    await kernel.lucent.create({
      collection: "webhooks",
      data: { url: `http://127.0.0.1:${receiver.port}/hook`, events: ["notes.create"] },
      overrideAccess: true,
    });
  }
  const app = lucentPlugin(kernel, { handleSignals: true }).listen({
    hostname: "127.0.0.1",
    port: 0,
  });
  console.log(`port ${app.server!.port}`);
}

async function load(port: number, seconds: number, connections: number): Promise<number> {
  let done = 0;
  let failed = 0;
  const until = performance.now() + seconds * 1000;
  const body = JSON.stringify({ title: "a note", body: "x".repeat(200) });
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) {
        const res = await fetch(`http://127.0.0.1:${port}/api/notes`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
        });
        await res.arrayBuffer();
        if (res.status === 201) done++;
        else failed++;
      }
    }),
  );
  if (failed) console.warn(`  ${failed} requests failed`);
  return done / seconds;
}

interface Server {
  config: Config;
  port: number;
  stop(): Promise<void>;
}

async function startServer(config: Config, connections: number): Promise<Server> {
  const postgres = (await import("../packages/core/node_modules/postgres")).default;
  const name = `lucent_bench_webhooks_${config}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const proc = Bun.spawn(
    [process.execPath, "--conditions=lucent-source", import.meta.path, "--serve", config],
    {
      env: {
        ...Bun.env,
        BENCH_DB_URL: url.toString(),
        NODE_ENV: "production",
        LOG_LEVEL: "warn",
        JWT_SECRET: "j".repeat(40),
        SESSION_SECRET: "s".repeat(40),
        WEBHOOKS_SECRET_KEY: "w".repeat(40),
      },
      stdout: "pipe",
      stderr: "inherit",
    },
  );
  const stop = async () => {
    proc.kill("SIGKILL");
    await proc.exited;
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  };
  const reader = proc.stdout.getReader();
  let out = "";
  while (!/port (\d+)/.test(out)) {
    const { value, done } = await reader.read();
    if (done) {
      await stop();
      throw new Error(`server for ${config} exited: ${out}`);
    }
    out += new TextDecoder().decode(value);
  }
  const port = Number(out.match(/port (\d+)/)![1]);
  await load(port, 2, connections); // warm-up
  return { config, port, stop };
}

/**
 * The servers run side by side and take the load in turns, in short slices,
 * so that whatever else the machine is doing weighs on each alike.
 */
async function compare(
  configs: readonly Config[],
  slices: number,
  seconds: number,
  connections: number,
) {
  const servers: Server[] = [];
  try {
    for (const config of configs) servers.push(await startServer(config, connections));
    const total = Object.fromEntries(configs.map((c) => [c, 0])) as Record<Config, number>;
    for (let i = 0; i < slices; i++) {
      const order = i % 2 === 0 ? servers : [...servers].reverse();
      for (const server of order)
        total[server.config] += await load(server.port, seconds, connections);
    }
    for (const config of configs) {
      const rate = total[config] / slices;
      const ratio = (rate / (total.plain / slices)) * 100;
      console.log(
        `  ${config.padEnd(10)} ${rate.toFixed(0).padStart(6)} creates/s  ${ratio.toFixed(0)}% of plain`,
      );
    }
  } finally {
    for (const server of servers) await server.stop();
  }
}

async function main() {
  const slices = Number(values.slices);
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  // Deliveries keep a server busy after its slice, so that one is compared with plain on its own.
  console.log(`${slices} slices of ${seconds} s each, ${connections} connections`);
  console.log("modules installed, no endpoint:");
  await compare(["plain", "audit", "webhooks", "installed"], slices, seconds, connections);
  console.log("one endpoint taking every create:");
  await compare(["plain", "delivering"], slices, seconds, connections);
}
