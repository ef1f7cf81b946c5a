/**
 * The messages a WebSocket client may send (CONTRACT §9), parsed from
 * untrusted text: anything else is an `error` message, never a crash.
 */
import { parseJsonInput, type Where } from "@lucent/core";
import { z } from "zod";

/** Longest message a client may send, in bytes. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

const id = z.string().min(1).max(64);

const subscribe = z.strictObject({
  type: z.literal("subscribe"),
  id,
  collection: z.string().min(1).max(100),
  where: z.record(z.string(), z.unknown()).optional(),
  since: z.string().max(200).optional(),
  snapshot: z.boolean().optional(),
  limit: z.number().int().min(1).max(100).optional(),
  sort: z.string().max(500).optional(),
});

const unsubscribe = z.strictObject({ type: z.literal("unsubscribe"), id });

export type SubscribeMessage = Omit<z.infer<typeof subscribe>, "where"> & { where?: Where };
export type ClientMessage = SubscribeMessage | z.infer<typeof unsubscribe>;

export interface ProtocolError {
  type: "error";
  code: "VALIDATION_ERROR";
  message: string;
}

const schema = z.discriminatedUnion("type", [subscribe, unsubscribe]);

/** The message in `data`, or the error to answer it with. */
export function parseClientMessage(data: string | Buffer): ClientMessage | ProtocolError {
  const bad = (message: string): ProtocolError => ({
    type: "error",
    code: "VALIDATION_ERROR",
    message,
  });
  if (typeof data !== "string") return bad("messages must be text frames holding JSON");
  if (Buffer.byteLength(data) > MAX_MESSAGE_BYTES)
    return bad(`messages are at most ${MAX_MESSAGE_BYTES} bytes`);
  let value: unknown;
  try {
    value = parseJsonInput(data, "message");
  } catch (error) {
    return bad(error instanceof Error ? error.message : "malformed message");
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join(".") || "message";
    return bad(`${path}: ${issue?.message ?? "invalid"}`.slice(0, 500));
  }
  const message = parsed.data;
  if (message.type === "subscribe" && message.snapshot && message.since !== undefined)
    return bad("send either `since` or `snapshot`, not both");
  return message as ClientMessage;
}
