import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { LucentError } from "./errors.ts";
import { byteCount, uploadMetadata } from "./tus-headers.ts";

const b64 = (s: string) => Buffer.from(s).toString("base64");

describe("tus headers", () => {
  test("Upload-Metadata reads what tus clients write", () => {
    expect(uploadMetadata(`filename ${b64("café.png")},filetype ${b64("image/png")},flag`)).toEqual(
      {
        filename: "café.png",
        filetype: "image/png",
        flag: "",
      },
    );
    expect(uploadMetadata(null)).toEqual({});
  });

  test("Upload-Metadata round-trips any pairs a client may encode", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.stringMatching(/^[a-zA-Z0-9_.-]{1,20}$/), fc.string({ maxLength: 50 }), {
          maxKeys: 8,
        }),
        (pairs) => {
          const raw = Object.entries(pairs)
            .map(([k, v]) => `${k} ${b64(v)}`)
            .join(",");
          if (raw.length > 4096) return;
          expect(uploadMetadata(raw)).toEqual(pairs);
        },
      ),
    );
  });

  test("any Upload-Metadata or Upload-Offset value is read or refused with a 400, nothing else", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (raw) => {
        for (const read of [
          () => uploadMetadata(raw),
          () =>
            byteCount(
              new Headers({ "upload-offset": raw.replace(/[\r\n\0]/g, "") }),
              "upload-offset",
            ),
        ]) {
          try {
            read();
          } catch (error) {
            expect(error).toBeInstanceOf(LucentError);
            expect((error as LucentError).status).toBe(400);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  test("duplicate keys, names like __proto__ and bad base64 are handled", () => {
    expect(() => uploadMetadata("a YQ==,a Yg==")).toThrow(LucentError);
    expect(() => uploadMetadata("a Y")).toThrow(LucentError);
    const parsed = uploadMetadata(`__proto__ ${b64("x")}`);
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(parsed, "__proto__")?.value).toBe("x");
  });

  test("offsets are plain digits within 2^53", () => {
    expect(byteCount(new Headers({ "upload-offset": "0" }), "upload-offset")).toBe(0);
    for (const bad of ["-1", "1.5", "1e3", "0x1", "99999999999999999", ""])
      expect(() => byteCount(new Headers({ "upload-offset": bad }), "upload-offset")).toThrow(
        LucentError,
      );
  });
});
