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
 */
import { afterEach, describe, expect, test } from "bun:test";
// Core's own tests run this suite: it reads the contract from core's source (see jobs.ts).
import type { StorageDriver } from "../../../packages/core/src/drivers/drivers.ts";

export interface StorageDriverSuiteOptions {
  /** A new driver; drivers from one suite may share a backend (a folder, a bucket). */
  make: () => StorageDriver | Promise<StorageDriver>;
}

/** A key in core's shape: a collection slug and a uuid. */
export const storageKey = (collection = "files") => `${collection}/${crypto.randomUUID()}`;

/** The stored file's bytes, whichever body the driver returns. */
async function bytesOf(
  found: Awaited<ReturnType<StorageDriver["get"]>>,
): Promise<Uint8Array | null> {
  if (!found) return null;
  const body = found.body;
  return body instanceof Blob
    ? new Uint8Array(await body.arrayBuffer())
    : Bun.readableStreamToBytes(body);
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
      for (const key of ["../escape", "/absolute", "", "no-collection", "files/../../escape"]) {
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
      const data = new Uint8Array(6 * 1024 * 1024 + 13);
      // getRandomValues fills at most 64 KiB at a time.
      for (let at = 0; at < data.length; at += 65536)
        crypto.getRandomValues(data.subarray(at, Math.min(at + 65536, data.length)));
      const key = storageKey();
      await d.put(key, blob(data), { contentType: "application/octet-stream" });
      const found = await d.get(key);
      expect(found?.size).toBe(data.length);
      const back = await bytesOf(found);
      expect(back?.length).toBe(data.length);
      expect(Bun.hash(back!)).toBe(Bun.hash(data));
    });

    test("(9) check resolves on a healthy store, and stop resolves", async () => {
      const d = await options.make();
      await d.check();
      await d.stop?.();
    });
  });
}
