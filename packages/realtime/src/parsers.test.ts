import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { formatCursor, parseCursor } from "./cursor.ts";
import { parseTicket } from "./ticket.ts";
import { parseClientMessage } from "./ws-protocol.ts";

const anyJson = fc.jsonValue({ maxDepth: 6 });

describe("untrusted input parsers", () => {
  test("any text as a WebSocket message is a message or a VALIDATION_ERROR, never a throw", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          anyJson.map((v) => JSON.stringify(v)),
        ),
        (text) => {
          const result = parseClientMessage(text);
          if (result.type === "error") {
            expect(result.code).toBe("VALIDATION_ERROR");
            expect(result.message.length).toBeGreaterThan(0);
          } else expect(["subscribe", "unsubscribe"]).toContain(result.type);
        },
      ),
      { numRuns: 2000 },
    );
  });

  test("subscribe-shaped objects with random members are parsed or refused with a message", () => {
    const message = fc.record(
      {
        type: fc.constantFrom("subscribe", "unsubscribe", "other"),
        id: fc.oneof(fc.string({ maxLength: 80 }), anyJson),
        collection: fc.oneof(fc.string({ maxLength: 20 }), anyJson),
        where: anyJson,
        since: fc.oneof(fc.string(), anyJson),
        snapshot: fc.oneof(fc.boolean(), anyJson),
        limit: fc.oneof(fc.integer(), anyJson),
      },
      { requiredKeys: ["type"] },
    );
    fc.assert(
      fc.property(message, (m) => {
        const result = parseClientMessage(JSON.stringify(m));
        expect(result.type === "error" || result.type === m.type).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  test("binary frames, deep nesting, NUL bytes and huge messages are refused", () => {
    expect(parseClientMessage(Buffer.from("{}")).type).toBe("error");
    expect(parseClientMessage(`${"[".repeat(100)}${"]".repeat(100)}`).type).toBe("error");
    expect(parseClientMessage(JSON.stringify({ type: "unsubscribe", id: "a\u0000" })).type).toBe(
      "error",
    );
    expect(
      parseClientMessage(JSON.stringify({ type: "unsubscribe", id: "x".repeat(70_000) })).type,
    ).toBe("error");
  });

  test("a cursor is parsed back exactly, and anything else is null", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), fc.nat(), (epoch, seq) => {
        expect(parseCursor(formatCursor({ epoch, seq }))).toEqual({ epoch, seq });
      }),
    );
    fc.assert(
      fc.property(fc.oneof(fc.string(), anyJson), (value) => {
        const cursor = parseCursor(value);
        if (cursor !== null) expect(formatCursor(cursor)).toBe(value as string);
      }),
      { numRuns: 2000 },
    );
    for (const bad of [
      "",
      ":",
      "a:",
      ":1",
      "a:01",
      "a:-1",
      "a:1.5",
      "a:99999999999999999",
      "a b:1",
    ])
      expect(parseCursor(bad)).toBeNull();
  });

  test("a ticket is recognised only in its exact shape", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), anyJson), (value) => {
        const ticket = parseTicket(value);
        if (ticket !== null) expect(ticket).toMatch(/^rt_[A-Za-z0-9_-]{43}$/);
      }),
      { numRuns: 2000 },
    );
  });
});
