/**
 * `bun bench/uploads.ts [--mib 256] [--runs 2]`: upload and download
 * throughput of Lucent's file routes, on local disk and on S3 (an s3rver
 * started here), next to the limit: the same bytes copied with
 * `Bun.write`/`Bun.file` (disk) and with `Bun.S3Client` (the same s3rver).
 * The server runs in its own process (`tooling/conformance/src/uploads-server.ts`);
 * each figure is the best of `--runs`. Prints a Markdown table. By hand only.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startS3 } from "../packages/storage-s3/test/s3-server.ts";
import { sourceStream } from "../tooling/conformance/src/uploads-scale.ts";

const { values } = parseArgs({
  args: Bun.argv.slice(2),
  options: { mib: { type: "string", default: "256" }, runs: { type: "string", default: "2" } },
});
const SIZE = Number(values.mib) * 1024 * 1024;
const RUNS = Number(values.runs);
const root = mkdtempSync(join(tmpdir(), "lucent-bench-uploads-"));
const SERVER = join(import.meta.dir, "../tooling/conformance/src/uploads-server.ts");
const S3_MODULE = join(import.meta.dir, "../packages/storage-s3/test/s3-module.ts");

const mbps = (ms: number) => SIZE / 1e6 / (ms / 1000);

async function drain(stream: ReadableStream<Uint8Array>): Promise<number> {
  let n = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return n;
    n += value.byteLength;
  }
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

async function best(work: () => Promise<{ up: number; down: number }>) {
  let up = Number.POSITIVE_INFINITY;
  let down = Number.POSITIVE_INFINITY;
  for (let i = 0; i < RUNS; i++) {
    const r = await work();
    up = Math.min(up, r.up);
    down = Math.min(down, r.down);
  }
  return { up: mbps(up), down: mbps(down) };
}

async function lucentServer(
  dataDir: string,
  env: Record<string, string> = {},
  storageModule?: string,
) {
  const proc = Bun.spawn(
    ["bun", "--conditions=lucent-source", SERVER, JSON.stringify({ dataDir, storageModule })],
    {
      env: { ...Bun.env, ...env, LOG_LEVEL: "warn" },
      stdout: "pipe",
      stderr: "inherit",
    },
  );
  const reader = proc.stdout.getReader();
  let text = "";
  while (!text.includes("\n")) text += new TextDecoder().decode((await reader.read()).value);
  reader.releaseLock();
  const { port } = JSON.parse(text.split("\n")[0]!);
  return { url: `http://127.0.0.1:${port}`, stop: () => proc.kill("SIGTERM") };
}

function multipart(inner: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  const parts = [
    enc.encode(
      '--b\r\nContent-Disposition: form-data; name="file"; filename="x.bin"\r\nContent-Type: application/octet-stream\r\n\r\n',
    ),
  ];
  const reader = inner.getReader();
  let ended = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(c) {
        const head = parts.shift();
        if (head) return c.enqueue(head);
        if (ended) return c.close();
        const { done, value } = await reader.read();
        if (done) {
          ended = true;
          return c.enqueue(enc.encode("\r\n--b--\r\n"));
        }
        c.enqueue(value);
      },
    },
    { highWaterMark: 0 },
  );
}

async function throughLucent(url: string) {
  let fileUrl = "";
  const up = await timed(async () => {
    const res = await fetch(`${url}/api/files`, {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=b" },
      body: multipart(sourceStream(SIZE).stream),
    });
    if (res.status !== 201) throw new Error(`upload: ${res.status} ${await res.text()}`);
    fileUrl = ((await res.json()) as { file: { url: string } }).file.url;
  });
  const down = await timed(async () => {
    const n = await drain((await fetch(`${url}${fileUrl}`)).body!);
    if (n !== SIZE) throw new Error(`download: ${n} bytes`);
  });
  return { up, down };
}

const rows: Array<[string, { up: number; down: number }]> = [];

// The limit on disk: the same stream written with Bun.write, read with Bun.file.
rows.push([
  "`Bun.write` / `Bun.file` (disk)",
  await best(async () => {
    const path = join(root, "plain.bin");
    const up = await timed(() => Bun.write(path, new Response(sourceStream(SIZE).stream)));
    const down = await timed(() => drain(Bun.file(path).stream()));
    return { up, down };
  }),
]);

const local = await lucentServer(join(root, "local"));
rows.push(["Lucent, local disk", await best(() => throughLucent(local.url))]);
local.stop();

const s3 = await startS3();
const client = new Bun.S3Client({
  endpoint: s3.endpoint,
  bucket: s3.bucket,
  accessKeyId: s3.accessKeyId,
  secretAccessKey: s3.secretAccessKey,
});
rows.push([
  "`Bun.S3Client` write / stream (s3rver)",
  await best(async () => {
    const up = await timed(() =>
      client.write("plain/x", new Response(sourceStream(SIZE).stream), {
        partSize: 5 * 1024 * 1024,
        queueSize: 2,
      }),
    );
    const down = await timed(() => drain(client.file("plain/x").stream()));
    return { up, down };
  }),
]);
const viaS3 = await lucentServer(
  join(root, "s3"),
  {
    S3_BUCKET: s3.bucket,
    S3_ENDPOINT: s3.endpoint,
    S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
  },
  S3_MODULE,
);
rows.push(["Lucent, @lucent/storage-s3 (s3rver)", await best(() => throughLucent(viaS3.url))]);
viaS3.stop();
await s3.close();
rmSync(root, { recursive: true, force: true });

console.log(`\n${values.mib} MiB, best of ${RUNS} (MB/s = 10^6 bytes per second)\n`);
console.log("| path | upload MB/s | download MB/s |\n|---|---:|---:|");
for (const [name, r] of rows)
  console.log(`| ${name} | ${r.up.toFixed(0)} | ${r.down.toFixed(0)} |`);
