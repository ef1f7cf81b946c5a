/**
 * Uploads at scale, against a real server process (`uploads-server.ts`) on a
 * given storage driver. What it holds a driver and core to:
 *
 * 1. A large file streams: uploaded as one multipart body and downloaded
 *    again, its SHA-256 is unchanged, and the server's resident memory never
 *    grows by 64 MiB or more over its idle level.
 * 2. Many uploads at once stream too: 20 at a time, each round trip exact,
 *    the same memory bound.
 * 3. A range of the large file is exactly its bytes.
 * 4. A server killed (kill -9) in the middle of an upload leaves nothing the
 *    sweeper does not remove: once the interrupted upload's row expires, its
 *    object (and any partial file) is gone.
 * 5. A tus upload interrupted by the kill resumes from the offset the
 *    restarted server reports, and completes byte-identical.
 *
 * Sizes: `UPLOAD_SCALE=full` runs the numbers (1 GiB, 20 × 100 MiB);
 * by default 200 MiB and 20 × 10 MiB, so a routine run stays light.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { createKernel, type LucentModule } from "../../../packages/core/src/index.ts";
import { createUploadSweeper } from "../../../packages/core/src/operations/upload-sweeper.ts";
import { defineCollection } from "../../../packages/core/src/schema/collection.ts";
import { multipart, type Server, sha256Of, sourceStream, startServer } from "./uploads-scale-io.ts";

export { sourceStream } from "./uploads-scale-io.ts";

export interface UploadScaleSuiteOptions {
  /** Absolute path of a module whose default export is the storage module (none: local disk). */
  storageModule?: string;
  /** Environment the server (and that module) read. */
  env?: () => Record<string, string>;
}

const MiB = 1024 * 1024;
const FULL = Bun.env.UPLOAD_SCALE === "full";
export const BIG = FULL ? 1024 * MiB : 200 * MiB;
export const MANY = { count: 20, size: FULL ? 100 * MiB : 10 * MiB };
export const RSS_BOUND = 64 * MiB;
const SERVER = join(import.meta.dir, "uploads-server.ts");

export function uploadScaleSuite(name: string, options: UploadScaleSuiteOptions = {}) {
  describe(`uploads at scale: ${name}`, () => {
    const root = mkdtempSync(join(tmpdir(), "lucent-upload-scale-"));
    const running = new Set<Bun.Subprocess>();
    afterAll(async () => {
      for (const proc of running) proc.kill("SIGKILL");
      await Promise.all([...running].map((p) => p.exited));
      rmSync(root, { recursive: true, force: true });
    });
    const env = () => ({ ...Bun.env, ...options.env?.(), LOG_LEVEL: "warn" });

    async function start(dataDir: string): Promise<Server> {
      const args = JSON.stringify({ dataDir, storageModule: options.storageModule });
      const server = await startServer(SERVER, [args], env());
      running.add(server.proc);
      return server;
    }
    const kill = async (server: Server) => {
      server.proc.kill("SIGKILL");
      await server.proc.exited;
      running.delete(server.proc);
    };
    const stop = async (server: Server) => {
      server.proc.kill("SIGTERM");
      await server.proc.exited;
      running.delete(server.proc);
    };

    /** Runs `work` while sampling the server's RSS; returns the peak growth over `base`. */
    async function peakGrowth<T>(server: Server, base: number, work: () => Promise<T>) {
      let peak = server.rss();
      const timer = setInterval(() => {
        peak = Math.max(peak, server.rss());
      }, 20);
      try {
        const result = await work();
        peak = Math.max(peak, server.rss());
        // Never below 0: RSS can fall under the idle level once warm-up garbage is collected.
        return { result, growth: Math.max(0, peak - base), peak };
      } finally {
        clearInterval(timer);
      }
    }

    async function upload(server: Server, size: number, seed: number) {
      const source = sourceStream(size, seed);
      const res = await fetch(`${server.url}/api/files`, {
        method: "POST",
        headers: { "content-type": "multipart/form-data; boundary=lucent-scale" },
        body: multipart(source.stream, "lucent-scale"),
      });
      if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
      const doc = (await res.json()) as { file: { url: string; size: number; key: string } };
      return { doc, sha256: await source.sha256 };
    }

    async function warm(server: Server): Promise<number> {
      // The first request loads code paths and pools: measure from after it.
      await upload(server, MiB, 0);
      Bun.gc(true);
      await Bun.sleep(200);
      return server.rss();
    }

    const mb = (n: number) => (n / MiB).toFixed(1);

    test("(1, 3) a large file streams both ways byte-identical, RSS bound held, a range exact", async () => {
      const server = await start(join(root, "big"));
      try {
        const base = await warm(server);
        const up = await peakGrowth(server, base, () => upload(server, BIG, 1));
        const down = await peakGrowth(server, base, async () => {
          const res = await fetch(`${server.url}${up.result.doc.file.url}`);
          return sha256Of(res.body!);
        });
        console.log(
          `[${name}] ${mb(BIG)} MiB: RSS idle ${mb(base)} MiB, peak during upload ${mb(up.peak)} MiB (+${mb(up.growth)}), during download ${mb(down.peak)} MiB (+${mb(down.growth)})`,
        );
        expect(up.result.doc.file.size).toBe(BIG);
        expect(down.result).toEqual({ hex: up.result.sha256, size: BIG });
        expect(up.growth).toBeLessThan(RSS_BOUND);
        expect(down.growth).toBeLessThan(RSS_BOUND);
        const tail = await fetch(`${server.url}${up.result.doc.file.url}`, {
          headers: { range: `bytes=${BIG - MiB}-` },
        });
        expect(tail.status).toBe(206);
        const bytes = new Uint8Array(await tail.arrayBuffer());
        expect(bytes.length).toBe(MiB);
        // The last block is stamped with its index: the range starts exactly there.
        expect(new DataView(bytes.buffer).getUint32(0)).toBe((BIG / MiB - 1) * 7919 + 1);
      } finally {
        await stop(server);
      }
    }, 600_000);

    test("(2) 20 uploads at once stream, each round trip exact, RSS bound held", async () => {
      const server = await start(join(root, "many"));
      try {
        const base = await warm(server);
        const up = await peakGrowth(server, base, () =>
          Promise.all(
            Array.from({ length: MANY.count }, (_, i) => upload(server, MANY.size, i + 10)),
          ),
        );
        const down = await peakGrowth(server, base, () =>
          Promise.all(
            up.result.map(async (u) =>
              sha256Of((await fetch(`${server.url}${u.doc.file.url}`)).body!),
            ),
          ),
        );
        console.log(
          `[${name}] ${MANY.count} × ${mb(MANY.size)} MiB at once: RSS idle ${mb(base)} MiB, peak during uploads ${mb(up.peak)} MiB (+${mb(up.growth)}), during downloads ${mb(down.peak)} MiB (+${mb(down.growth)})`,
        );
        for (const [i, u] of up.result.entries())
          expect(down.result[i]).toEqual({ hex: u.sha256, size: MANY.size });
        expect(up.growth).toBeLessThan(RSS_BOUND);
        expect(down.growth).toBeLessThan(RSS_BOUND);
      } finally {
        await stop(server);
      }
    }, 600_000);

    /** The kernel on a stopped server's data, in this process, to look at what it left. */
    async function inspect(dataDir: string) {
      const modules: LucentModule[] = [];
      if (options.storageModule) {
        Object.assign(Bun.env, options.env?.());
        modules.push((await import(options.storageModule)).default as LucentModule);
      }
      const kernel = await createKernel({
        collections: [
          defineCollection({
            slug: "files",
            fields: { file: { type: "upload", maxSize: 2 * 1024 ** 3 } },
          }),
        ],
        modules,
        dataDir,
        typegen: { output: false },
      });
      return kernel;
    }

    test("(4, 5) a kill -9 mid-upload leaves nothing the sweeper keeps, and tus resumes from its offset", async () => {
      const dataDir = join(root, "killed");
      let server = await start(dataDir);
      // tus: one whole chunk, then a second one cut by the kill.
      const size = 24 * MiB;
      const data = new Uint8Array(size);
      for (let at = 0; at < size; at += 65536)
        crypto.getRandomValues(data.subarray(at, at + 65536));
      const created = await fetch(`${server.url}/api/files/uploads/file/tus`, {
        method: "POST",
        headers: { "tus-resumable": "1.0.0", "upload-length": String(size) },
      });
      const location = created.headers.get("location")!;
      const key = created.headers.get("lucent-upload-key")!;
      const patch = (s: Server, offset: number, body: BodyInit) =>
        fetch(`${s.url}${location}`, {
          method: "PATCH",
          headers: {
            "tus-resumable": "1.0.0",
            "upload-offset": String(offset),
            "content-type": "application/offset+octet-stream",
          },
          body,
        });
      expect((await patch(server, 0, data.slice(0, 8 * MiB))).status).toBe(204);

      // A multipart upload and the second tus chunk, both killed mid-stream.
      let fed = 0;
      const slow = (bytes: Uint8Array) =>
        new ReadableStream<Uint8Array>({
          async pull(controller) {
            if (fed >= bytes.length) return controller.close();
            controller.enqueue(bytes.slice(fed, fed + MiB));
            fed += MiB;
            await Bun.sleep(100);
          },
        });
      const cutTus = patch(server, 8 * MiB, slow(data.slice(8 * MiB))).catch(() => null);
      const cutUpload = upload(server, 256 * MiB, 99).catch(() => null);
      while (fed < 4 * MiB) await Bun.sleep(10);
      await kill(server);
      await Promise.all([cutTus, cutUpload]);

      server = await start(dataDir);
      const head = await fetch(`${server.url}${location}`, {
        method: "HEAD",
        headers: { "tus-resumable": "1.0.0" },
      });
      expect(head.status).toBe(200);
      const offset = Number(head.headers.get("upload-offset"));
      expect(offset).toBe(8 * MiB);
      expect((await patch(server, offset, data.slice(offset))).status).toBe(204);
      const doc = await (
        await fetch(`${server.url}/api/files`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ file: { key } }),
        })
      ).json();
      const back = await sha256Of((await fetch(`${server.url}${doc.file.url}`)).body!);
      expect(back).toEqual({
        hex: new Bun.CryptoHasher("sha256").update(data).digest("hex"),
        size,
      });
      await stop(server);

      // What the kill left: the interrupted multipart file's row, and whatever reached storage.
      const kernel = await inspect(dataDir);
      try {
        const left = await kernel.ctx.db.execute<{ key: string; kind: string }>(
          sql`select key, kind from lucent_uploads`,
        );
        expect(left.some((r) => r.kind === "stream")).toBe(true);
        await kernel.ctx.db.execute(
          sql`update lucent_uploads set expires_at = now() - interval '1 second'`,
        );
        const sweeper = createUploadSweeper({
          db: kernel.ctx.db,
          storage: kernel.ctx.storage,
          logger: kernel.ctx.logger,
        });
        expect(await sweeper.sweep()).toBe(left.length);
        for (const row of left) expect(await kernel.ctx.storage.head(row.key)).toBeNull();
        if (!options.storageModule) {
          // Local disk: no partial file anywhere; the one file a document holds is all that is left.
          const files = readdirSync(join(dataDir, "uploads"), { recursive: true }) as string[];
          expect(files.filter((f) => f.endsWith(".partial"))).toEqual([]);
          expect(files.filter((f) => /[0-9a-f-]{36}$/.test(f))).toEqual([doc.file.key]);
        }
      } finally {
        await kernel.stop();
      }
    }, 600_000);
  });
}
