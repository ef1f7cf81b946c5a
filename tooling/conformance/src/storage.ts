/**
 * The rules every storage driver keeps, run by each driver's own tests:
 * `storageDriverSuite("local", { make: () => localStorage({ dir }) })`.
 * Core hands a driver the files of upload fields under keys it generates
 * (`<collection>/<uuid>`), reads them back for downloads and deletes them
 * when their document goes. Each test below is named after the rule it checks.
 *
 * 1. Round trip. What `put` stored, `get` returns: the same bytes, every byte
 *    value included, and `size` equal to their count (0 for an empty file).
 * 2. A missing key is `null`. `get` of a key never stored, or deleted,
 *    resolves to `null`; it does not throw.
 * 3. `put` replaces. A second `put` to a key leaves only the second file.
 * 4. `delete` is idempotent. After it `get` is `null`; deleting a key that is
 *    not there resolves.
 * 5. Keys are independent. Writing or deleting one key leaves every other
 *    unchanged, one that shares its collection prefix included.
 * 6. Only core's keys. A key core would not generate (`../x`, `/x`, empty,
 *    no collection part) is refused with an error by `put` and by `get`, so
 *    no caller reaches outside the store.
 * 7. Overlapping writes each land: several `put`s at once to different keys
 *    all read back as written.
 * 8. Large files. A file of several megabytes reads back whole and exact.
 * 9. Lifecycle. `check` resolves on a healthy store; `stop`, when present,
 *    resolves.
 * 10. Streams in. `put` takes a `ReadableStream` (chunks of any size, the
 *     length unknown), a `Blob` or bytes, and resolves with the stored size.
 * 11. Nothing half-written. A `put` whose stream errors rejects; the key then
 *     reads as missing, or as its previous content when it had one.
 * 12. Ranges. `get` with `{ range: { start, end } }` gives exactly those
 *     bytes (both ends included; the first byte alone and the last byte alone
 *     too); `size` stays the whole object's and `range` says what was served.
 * 13. `head` tells the size without the bytes (0 for an empty file), is
 *     `null` for a missing key, and refuses a key core would not generate.
 * 14. A variant key (`<key>.<name>`, a stored image size) is a key of its
 *     own: writing or deleting the original leaves it alone.
 * 15. With `capabilities.presign`: a presigned PUT URL stores what a plain
 *     `fetch` sends; a presigned GET URL returns it; once expired, either URL
 *     is refused with 403 and the object is unchanged.
 * 16. With `capabilities.multipart`: a streamed `put` of unknown length,
 *     larger than one part (12 MiB here), reads back exact.
 */
import { afterEach, describe, expect, test } from "bun:test";
// Core's own tests run this suite: it reads the contract from core's source (see jobs.ts).
import type {
  StorageCapabilities,
  StorageDriver,
} from "../../../packages/core/src/drivers/drivers.ts";

export interface StorageDriverSuiteOptions {
  /** A new driver; drivers from one suite may share a backend (a folder, a bucket). */
  make: () => StorageDriver | Promise<StorageDriver>;
  /** The driver's capability flags: the tests of the ones it lacks are skipped. */
  capabilities: StorageCapabilities;
}

/** A key in core's shape: a collection slug and a uuid. */
export const storageKey = (collection = "files") => `${collection}/${crypto.randomUUID()}`;

/** The stored file's bytes. */
async function bytesOf(
  found: Awaited<ReturnType<StorageDriver["get"]>>,
): Promise<Uint8Array | null> {
  if (!found) return null;
  return Bun.readableStreamToBytes(found.body);
}

/** `data` as a stream of chunks of `chunk` bytes, of unknown length. */
export function chunkedStream(data: Uint8Array, chunk = 65_536): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= data.length) return controller.close();
      controller.enqueue(data.slice(at, at + chunk));
      at += chunk;
    },
  });
}

/** Random bytes (getRandomValues fills at most 64 KiB at a time). */
export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  const data = new Uint8Array(length);
  for (let at = 0; at < data.length; at += 65536)
    crypto.getRandomValues(data.subarray(at, Math.min(at + 65536, data.length)));
  return data;
}

const blob = (bytes: Uint8Array<ArrayBuffer>, type = "application/octet-stream") =>
  new Blob([bytes], { type });

export function storageDriverSuite(name: string, options: StorageDriverSuiteOptions) {
  describe(`storage driver: ${name}`, () => {
    let made: StorageDriver[] = [];
    afterEach(async () => {
      await Promise.all(made.map((driver) => driver.stop?.()));
      made = [];
    });
    const driver = async () => {
      const d = await options.make();
      made.push(d);
      return d;
    };

    test("(1) what put stored, get returns: every byte value, its size, and an empty file", async () => {
      const d = await driver();
      const all = Uint8Array.from({ length: 512 }, (_, i) => i % 256);
      const key = storageKey();
      await d.put(key, blob(all), { contentType: "application/octet-stream" });
      const found = await d.get(key);
      expect(found?.size).toBe(all.length);
      expect(await bytesOf(found)).toEqual(all);
      const empty = storageKey();
      await d.put(empty, blob(new Uint8Array()), { contentType: "text/plain" });
      const none = await d.get(empty);
      expect(none?.size).toBe(0);
      expect((await bytesOf(none))?.length).toBe(0);
    });

    test("(2) get of a key never stored is null, not an error", async () => {
      expect(await (await driver()).get(storageKey())).toBeNull();
    });

    test("(3) a second put to a key leaves only the second file", async () => {
      const d = await driver();
      const key = storageKey();
      await d.put(key, blob(new TextEncoder().encode("first, and longer")), {
        contentType: "text/plain",
      });
      await d.put(key, blob(new TextEncoder().encode("second")), { contentType: "text/plain" });
      const found = await d.get(key);
      expect(found?.size).toBe(6);
      expect(new TextDecoder().decode((await bytesOf(found))!)).toBe("second");
    });

    test("(4) after delete get is null, and deleting a missing key resolves", async () => {
      const d = await driver();
      const key = storageKey();
      await d.put(key, blob(new Uint8Array([1, 2, 3])), {
        contentType: "application/octet-stream",
      });
      await d.delete(key);
      expect(await d.get(key)).toBeNull();
      await d.delete(key);
      await d.delete(storageKey());
    });

    test("(5) writing or deleting one key leaves the others, same collection included", async () => {
      const d = await driver();
      const keep = storageKey("shared");
      const gone = storageKey("shared");
      await d.put(keep, blob(new Uint8Array([7])), { contentType: "application/octet-stream" });
      await d.put(gone, blob(new Uint8Array([8])), { contentType: "application/octet-stream" });
      await d.delete(gone);
      expect(await bytesOf(await d.get(keep))).toEqual(new Uint8Array([7]));
    });

    test("(6) a key core would not generate is refused by put and by get", async () => {
      const d = await driver();
      for (const key of [
        "../escape",
        "/absolute",
        "",
        "no-collection",
        "files/../../escape",
        `files/${crypto.randomUUID()}/../x`,
      ]) {
        expect(
          d.put(key, blob(new Uint8Array([1])), { contentType: "text/plain" }),
        ).rejects.toThrow();
        expect(d.get(key)).rejects.toThrow();
      }
    });

    test("(7) overlapping puts to different keys each land as written", async () => {
      const d = await driver();
      const keys = Array.from({ length: 20 }, () => storageKey());
      await Promise.all(
        keys.map((key, i) =>
          d.put(key, blob(new Uint8Array([i, i, i])), { contentType: "application/octet-stream" }),
        ),
      );
      for (const [i, key] of keys.entries()) {
        expect(await bytesOf(await d.get(key))).toEqual(new Uint8Array([i, i, i]));
      }
    });

    test("(8) a file of several megabytes reads back whole and exact", async () => {
      const d = await driver();
      const data = randomBytes(6 * 1024 * 1024 + 13);
      const key = storageKey();
      await d.put(key, blob(data), { contentType: "application/octet-stream" });
      const found = await d.get(key);
      expect(found?.size).toBe(data.length);
      const back = await bytesOf(found);
      expect(back?.length).toBe(data.length);
      expect(Bun.hash(back!)).toBe(Bun.hash(data));
    });

    test("(9) check resolves on a healthy store, stop resolves, and the flags are as declared", async () => {
      const d = await options.make();
      expect(d.capabilities).toEqual(options.capabilities);
      await d.check();
      await d.stop?.();
    });

    test("(10) put takes a stream of unknown length, a Blob or bytes, and returns the size", async () => {
      const d = await driver();
      const data = randomBytes(300_000);
      for (const body of [chunkedStream(data, 7_001), blob(data), data]) {
        const key = storageKey();
        expect(await d.put(key, body, { contentType: "application/octet-stream" })).toEqual({
          size: data.length,
        });
        expect(Bun.hash((await bytesOf(await d.get(key)))!)).toBe(Bun.hash(data));
      }
    });

    test("(11) a put whose stream errors rejects and leaves nothing half-written", async () => {
      const d = await driver();
      const failing = () => {
        let sent = 0;
        return new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent++ < 3) controller.enqueue(new Uint8Array(100_000).fill(1));
            else controller.error(new Error("client went away"));
          },
        });
      };
      const fresh = storageKey();
      await expect(d.put(fresh, failing(), { contentType: "text/plain" })).rejects.toThrow();
      expect(await d.get(fresh)).toBeNull();
      expect(await d.head(fresh)).toBeNull();
      const held = storageKey();
      await d.put(held, blob(new TextEncoder().encode("kept")), { contentType: "text/plain" });
      await expect(d.put(held, failing(), { contentType: "text/plain" })).rejects.toThrow();
      expect(new TextDecoder().decode((await bytesOf(await d.get(held)))!)).toBe("kept");
    });

    test("(12) a range gives exactly its bytes, first and last byte included, and the whole size", async () => {
      const d = await driver();
      const data = randomBytes(100_000);
      const key = storageKey();
      await d.put(key, data, { contentType: "application/octet-stream" });
      for (const [start, end] of [
        [0, 0],
        [99_999, 99_999],
        [10, 65_546],
        [0, 99_999],
      ] as const) {
        const found = await d.get(key, { range: { start, end } });
        expect(found?.size).toBe(data.length);
        expect(found?.range).toEqual({ start, end });
        expect(await bytesOf(found)).toEqual(data.slice(start, end + 1));
      }
    });

    test("(13) head tells the size without the bytes, null when missing, and refuses foreign keys", async () => {
      const d = await driver();
      const key = storageKey();
      await d.put(key, new Uint8Array(1234), { contentType: "application/octet-stream" });
      expect((await d.head(key))?.size).toBe(1234);
      const empty = storageKey();
      await d.put(empty, new Uint8Array(0), { contentType: "application/octet-stream" });
      expect((await d.head(empty))?.size).toBe(0);
      expect(await d.head(storageKey())).toBeNull();
      await expect(d.head("../escape")).rejects.toThrow();
    });

    test("(14) a variant key is a key of its own", async () => {
      const d = await driver();
      const key = storageKey();
      const variant = `${key}.thumb`;
      await d.put(key, new Uint8Array([1]), { contentType: "image/png" });
      await d.put(variant, new Uint8Array([2, 2]), { contentType: "image/webp" });
      await d.delete(key);
      expect(await bytesOf(await d.get(variant))).toEqual(new Uint8Array([2, 2]));
    });

    test.if(options.capabilities.presign)(
      "(15) presigned PUT and GET URLs work with plain fetch, and not once expired",
      async () => {
        const d = await driver();
        if (!d.presign) throw new Error("capabilities.presign without presign()");
        const key = storageKey();
        const data = randomBytes(10_000);
        const put = await d.presign(key, {
          method: "PUT",
          expiresIn: 60,
          contentType: "image/png",
        });
        const sent = await fetch(put, {
          method: "PUT",
          body: data,
          headers: { "content-type": "image/png" },
        });
        expect(sent.status).toBe(200);
        const get = await d.presign(key, { method: "GET", expiresIn: 60 });
        expect(new Uint8Array(await (await fetch(get)).arrayBuffer())).toEqual(data);
        const shortGet = await d.presign(key, { method: "GET", expiresIn: 1 });
        const shortPut = await d.presign(key, { method: "PUT", expiresIn: 1 });
        // Presigned lifetimes count whole seconds.
        await Bun.sleep(2_100);
        expect((await fetch(shortGet)).status).toBe(403);
        expect((await fetch(shortPut, { method: "PUT", body: "overwritten" })).status).toBe(403);
        expect(await bytesOf(await d.get(key))).toEqual(data);
      },
    );

    test.if(options.capabilities.multipart)(
      "(16) a streamed put larger than one part reads back exact",
      async () => {
        const d = await driver();
        const data = randomBytes(12 * 1024 * 1024 + 5);
        const key = storageKey();
        await d.put(key, chunkedStream(data, 1 << 20), { contentType: "application/octet-stream" });
        expect((await d.head(key))?.size).toBe(data.length);
        expect(Bun.hash((await bytesOf(await d.get(key)))!)).toBe(Bun.hash(data));
      },
    );
  });
}
