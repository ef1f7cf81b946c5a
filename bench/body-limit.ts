/**
 * `bun bench/body-limit.ts [--parallel 6] [--mib 120]`: what oversized bodies
 * cost the server. It starts `bench/body-limit-server.ts` (1 MiB body limit)
 * in its own process, sends `--parallel` bodies of `--mib` MiB at once to
 * `POST /api/notes` over raw sockets, and reports the server's resident memory
 * (before, peak, after) and each request's time to its response. Two rounds,
 * each on a fresh server: chunked bodies (no length announced), then bodies
 * with a `Content-Length`. A client stops sending once it has its answer;
 * with `--keep-sending` it goes on to the end, as an attacker would.
 * `--database-url postgres://…` runs the server on Postgres (in-memory PGlite otherwise).
 * By hand only: it is not part of the test suite.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  args: Bun.argv.slice(2),
  options: {
    parallel: { type: "string", default: "6" },
    mib: { type: "string", default: "120" },
    "database-url": { type: "string" },
    "keep-sending": { type: "boolean", default: false },
  },
});
const PARALLEL = Number(values.parallel);
const TOTAL = Number(values.mib) * 1024 * 1024;
const CHUNK = 64 * 1024;
const TIMEOUT_MS = 120_000;
const KEEP_SENDING = values["keep-sending"];
const payload = Buffer.alloc(CHUNK, "a");
const framed = Buffer.concat([
  Buffer.from(`${CHUNK.toString(16)}\r\n`),
  payload,
  Buffer.from("\r\n"),
]);

interface Outcome {
  status: number | "closed" | "timeout";
  ms: number;
  /** Body bytes the client had written when the answer came. */
  sentMiB: number;
}

/**
 * One request over a raw socket: the body is written as fast as the server
 * takes it, until the answer comes (or, with `--keep-sending`, to its end).
 */
function send(port: number, chunked: boolean): Promise<Outcome> {
  const head = [
    "POST /api/notes HTTP/1.1",
    "Host: 127.0.0.1",
    "Content-Type: application/json",
    chunked ? "Transfer-Encoding: chunked" : `Content-Length: ${TOTAL}`,
    "",
    "",
  ].join("\r\n");
  const start = performance.now();
  let sent = 0;
  let pending: Buffer | undefined = Buffer.from(head);
  let reply = "";
  let answer: Outcome | undefined;
  let done = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return new Promise((resolve) => {
    const finish = (outcome: Outcome, socket?: { end(): void }) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(outcome);
      socket?.end();
    };
    const outcome = (status: Outcome["status"]): Outcome => ({
      status,
      ms: Math.round(performance.now() - start),
      sentMiB: sent / 1024 / 1024,
    });
    const next = (): Buffer | undefined => {
      if (sent >= TOTAL) return undefined;
      sent += CHUNK;
      if (sent >= TOTAL)
        return chunked ? Buffer.concat([framed, Buffer.from("0\r\n\r\n")]) : payload;
      return chunked ? framed : payload;
    };
    const pump = (socket: { write(b: Buffer): number; end(): void }) => {
      while (!done && pending && (!answer || KEEP_SENDING)) {
        const written = socket.write(pending);
        if (written < pending.length) {
          pending = pending.subarray(Math.max(0, written));
          return; // wait for drain
        }
        pending = next();
      }
      if (answer && !pending) finish(answer, socket);
    };
    timer = setTimeout(() => finish(answer ?? outcome("timeout")), TIMEOUT_MS);
    void Bun.connect({
      hostname: "127.0.0.1",
      port,
      socket: {
        open: (socket) => pump(socket),
        drain: (socket) => pump(socket),
        data(socket, data) {
          reply += data.toString("latin1");
          const match = /^HTTP\/1\.1 (\d{3})/.exec(reply);
          if (!match || answer) return;
          answer = outcome(Number(match[1]));
          if (!KEEP_SENDING || !pending) finish(answer, socket);
        },
        close: () => finish(answer ?? outcome("closed")),
        error: () => finish(answer ?? outcome("closed")),
      },
    }).catch(() => finish(outcome("closed")));
  });
}

function rssMiB(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: Math.round(kb("VmRSS") / 1024), hwm: Math.round(kb("VmHWM") / 1024) };
}

async function startServer() {
  const proc = Bun.spawn(
    ["bun", "--conditions=lucent-source", join(import.meta.dir, "body-limit-server.ts")],
    {
      stdout: "pipe",
      stderr: "inherit",
      env: {
        ...Bun.env,
        LOG_LEVEL: "silent",
        ...(values["database-url"] ? { DATABASE_URL: values["database-url"] } : {}),
      },
    },
  );
  const reader = proc.stdout.getReader();
  let text = "";
  while (!/READY (\d+)/.test(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the server exited before it was ready:\n${text}`);
    text += new TextDecoder().decode(value);
  }
  return { proc, port: Number(/READY (\d+)/.exec(text)![1]) };
}

async function round(chunked: boolean) {
  const { proc, port } = await startServer();
  await Bun.sleep(500);
  const before = rssMiB(proc.pid);
  let peak = before.rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMiB(proc.pid).rss);
  }, 20);
  const outcomes = await Promise.all(Array.from({ length: PARALLEL }, () => send(port, chunked)));
  await Bun.sleep(1000);
  clearInterval(sampler);
  const after = rssMiB(proc.pid);
  proc.kill();
  await proc.exited;
  const times = outcomes.map((o) => o.ms);
  console.log(
    `\n${chunked ? "chunked" : "Content-Length"}: ${PARALLEL} × ${values.mib} MiB to a 1 MiB route`,
  );
  // The high-water mark is reported only when the round raised it above the startup's own.
  const hwm = after.hwm > before.hwm ? after.hwm : peak;
  console.log(
    `  server RSS: ${before.rss} MiB before, ${Math.max(peak, hwm)} MiB peak, ${after.rss} MiB after`,
  );
  console.log(`  statuses: ${outcomes.map((o) => o.status).join(" ")}`);
  console.log(
    `  time to the answer: ${Math.min(...times)}–${Math.max(...times)} ms; body sent by then: ${outcomes
      .map((o) => o.sentMiB.toFixed(1))
      .join(" ")} MiB`,
  );
}

await round(true);
await round(false);
