/**
 * A snapshot (the first page of a subscriber's query) and the cursor its
 * events follow, read consistently: no change is in both, none in neither.
 *
 * On Postgres the page is read while the collection's advisory lock is
 * held alone: the writers in flight (each shares it from its outbox insert
 * to its commit) finish first, new ones wait, and
 * every committed change is numbered before the page is read, so the page
 * shows exactly the changes up to the cursor. PGlite runs one transaction
 * at a time and cannot read beside an open one: there the changes are
 * numbered before and after the page, and the read is repeated until no
 * write of the collection committed in between.
 */
import {
  type DatabaseAdapter,
  LucentError,
  type LucentUser,
  type PaginatedDocs,
  type UntypedLocalApi,
  type Where,
} from "@lucent/core";
import { sql } from "drizzle-orm";
import type { Cursor } from "./cursor.ts";
import { lockKey, stamp } from "./outbox.ts";

export interface SnapshotInput {
  db: DatabaseAdapter;
  lucent: UntypedLocalApi;
  collection: string;
  where: Where | undefined;
  user: LucentUser | null;
  req: Request | null;
  limit?: number | undefined;
  sort?: string | undefined;
}

const ATTEMPTS = 100;

export async function takeSnapshot(
  input: SnapshotInput,
): Promise<{ page: PaginatedDocs; cursor: Cursor }> {
  const find = () =>
    input.lucent.find({
      collection: input.collection,
      ...(input.where ? { where: input.where } : {}),
      ...(input.limit ? { limit: input.limit } : {}),
      ...(input.sort ? { sort: input.sort } : {}),
      user: input.user,
      req: input.req,
    });
  if (input.db.kind === "postgres") {
    return input.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${lockKey(input.collection)})`);
      const head = await stamp(tx, input.collection);
      return { page: await find(), cursor: { epoch: head.epoch, seq: head.seq } };
    });
  }
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const before = await stamp(input.db, input.collection);
    const page = await find();
    const after = await stamp(input.db, input.collection);
    if (before.seq === after.seq && before.epoch === after.epoch) {
      return { page, cursor: { epoch: after.epoch, seq: after.seq } };
    }
    await Bun.sleep(Math.random() * Math.min(50, 2 * (attempt + 1)));
  }
  throw new LucentError(
    "UNAVAILABLE",
    "could not read a snapshot between two writes of this collection; try again",
    { headers: { "retry-after": "1" } },
  );
}
