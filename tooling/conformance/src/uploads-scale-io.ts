/**
 * What the upload scale suite sends and measures: deterministic bytes of any
 * size with their SHA-256, a multipart frame around them, the SHA-256 of a
 * response, and a server process whose resident memory can be read.
 */
import { readFileSync } from "node:fs";

const MiB = 1024 * 1024;

/** Deterministic bytes: a random 1 MiB block, each copy stamped with its index. */
export function sourceStream(
  size: number,
  seed = 1,
): { stream: ReadableStream<Uint8Array>; sha256: Promise<string> } {
  const block = new Uint8Array(MiB);
  for (let at = 0; at < MiB; at += 65536) crypto.getRandomValues(block.subarray(at, at + 65536));
  const hasher = new Bun.CryptoHasher("sha256");
  let sent = 0;
  let index = 0;
  let done: (hex: string) => void = () => {};
  const sha256 = new Promise<string>((resolve) => {
    done = resolve;
  });
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (sent >= size) {
          done(hasher.digest("hex"));
          return controller.close();
        }
        const chunk = block.slice(0, Math.min(MiB, size - sent));
        new DataView(chunk.buffer).setUint32(0, index++ * 7919 + seed);
        hasher.update(chunk);
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, sha256 };
}

/** `inner` framed as the `file` part of a multipart body. */
export function multipart(
  inner: ReadableStream<Uint8Array>,
  boundary: string,
): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  const head = enc.encode(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = enc.encode(`\r\n--${boundary}--\r\n`);
  const reader = inner.getReader();
  let stage = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (stage === 0) {
          stage = 1;
          return controller.enqueue(head);
        }
        if (stage === 1) {
          const { done, value } = await reader.read();
          if (!done) return controller.enqueue(value);
          stage = 2;
          return controller.enqueue(tail);
        }
        controller.close();
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

export async function sha256Of(
  stream: ReadableStream<Uint8Array>,
): Promise<{ hex: string; size: number }> {
  const hasher = new Bun.CryptoHasher("sha256");
  let size = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    hasher.update(value);
    size += value.byteLength;
  }
  return { hex: hasher.digest("hex"), size };
}

export interface Server {
  proc: Bun.Subprocess<"ignore", "pipe", "inherit">;
  url: string;
  /** The process's resident memory in bytes, now. */
  rss(): number;
}

/** Starts `script` with `args` and waits for the `{"port":…}` line it prints. */
export async function startServer(
  script: string,
  args: string[],
  env: Record<string, string | undefined>,
): Promise<Server> {
  const proc = Bun.spawn(["bun", "--conditions=lucent-source", script, ...args], {
    env,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "inherit",
  });
  const reader = proc.stdout.getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { done, value } = await reader.read();
    if (done) throw new Error("the upload server exited before it listened");
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  const { port } = JSON.parse(text.split("\n").find((l) => l.startsWith("{"))!);
  return {
    proc,
    url: `http://127.0.0.1:${port}`,
    rss: () => {
      const status = readFileSync(`/proc/${proc.pid}/status`, "utf8");
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
    },
  };
}
