/**
 * The module's tables. `outbox` holds each committed change, written in the
 * change's own transaction (it commits or rolls back with the write), and
 * numbered (`seq`) right after it commits, by whichever instance reads the
 * outbox first. `streams` holds one row per collection: the last number
 * given and the `epoch` of that history. Numbering after commit keeps
 * writers of one collection from waiting for each other's commits; a
 * rolled-back write is never seen, so it takes no number and leaves no hole.
 */
import type { TableSpec } from "@lucent/core";

export const STREAMS = "lucent_realtime_streams";
export const OUTBOX = "lucent_realtime_outbox";
export const TICKETS = "lucent_realtime_tickets";
/** Created by the Postgres bus itself, which also runs without a kernel. */
export const BUS_SPILL = "lucent_realtime_bus_spill";

export const realtimeTables: readonly TableSpec[] = [
  {
    name: STREAMS,
    columns: [
      { name: "collection", type: "text", primaryKey: true },
      { name: "epoch", type: "text", notNull: true },
      { name: "seq", type: "bigint", notNull: true, default: "0" },
    ],
  },
  {
    name: OUTBOX,
    columns: [
      { name: "id", type: "uuid", primaryKey: true },
      { name: "collection", type: "text", notNull: true },
      { name: "seq", type: "bigint" },
      { name: "operation", type: "text", notNull: true },
      { name: "doc_id", type: "uuid", notNull: true },
      { name: "doc", type: "jsonb", notNull: true },
      { name: "previous_doc", type: "jsonb" },
      { name: "committed_at", type: "timestamptz", notNull: true, default: "now()" },
    ],
    indexes: [{ columns: ["collection", "seq"], unique: true }],
  },
  {
    name: TICKETS,
    columns: [
      { name: "id", type: "text", primaryKey: true },
      { name: "sealed", type: "text", notNull: true },
      { name: "expires_at", type: "timestamptz", notNull: true },
    ],
  },
];
