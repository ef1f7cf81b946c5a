/**
 * The outbox: each committed change under its per-collection number. A
 * change is appended inside the write's transaction (one statement: the
 * number and the row together), so it commits or rolls back with the write.
 */
import type { DatabaseAdapter, Doc } from "@lucent/core";
import { sql } from "drizzle-orm";
import { newEpoch } from "./cursor.ts";
import { OUTBOX, STREAMS } from "./tables.ts";

export type Operation = "create" | "update" | "delete";

/** One change as the outbox holds it. */
export interface OutboxEvent {
  collection: string;
  seq: number;
  operation: Operation;
  id: string;
  doc: Doc;
  previousDoc: Doc | null;
}

export interface StreamHead {
  collection: string;
  epoch: string;
  seq: number;
}

const streams = sql.identifier(STREAMS);
const outbox = sql.identifier(OUTBOX);

/** The advisory lock a collection's writers share and its snapshots take alone (two int4 keys). */
export const lockKey = (collection: string) => sql`1819436660, hashtext(${collection})`;

/**
 * Appends a change in the caller's transaction. Writers share an advisory
 * lock on the collection until they commit, so they never wait for each
 * other; a snapshot takes it alone to let the writers in flight finish and
 * hold new ones back (snapshot.ts).
 */
export async function appendChange(
  tx: DatabaseAdapter,
  change: { collection: string; operation: Operation; doc: Doc; previousDoc?: Doc | undefined },
): Promise<void> {
  await tx.execute(sql`
    with l as (select pg_advisory_xact_lock_shared(${lockKey(change.collection)}))
    insert into ${outbox} (id, collection, operation, doc_id, doc, previous_doc)
    select ${Bun.randomUUIDv7()}::uuid, ${change.collection}, ${change.operation}, ${change.doc.id}::uuid,
           ${JSON.stringify(change.doc)}::text::jsonb,
           ${change.previousDoc ? JSON.stringify(change.previousDoc) : null}::text::jsonb
    from l`);
}

/**
 * Numbers the committed changes that have none yet, after the last number
 * given, in one transaction holding the stream row (instances that number
 * at once take turns; the later ones find nothing left). Returns the head.
 */
export async function stamp(db: DatabaseAdapter, collection: string): Promise<StreamHead> {
  return db.transaction(async (tx) => {
    const lock = () =>
      tx.execute<{ epoch: string; seq: string | number }>(
        sql`select epoch, seq from ${streams} where collection = ${collection} for update`,
      );
    let [row] = await lock();
    if (!row) {
      // The stream row was removed while running: a new history starts.
      await ensureStreams(tx, [collection]);
      [row] = await lock();
    }
    if (!row) throw new Error(`no realtime stream for ${collection}`);
    // A new statement: it sees every change committed before the lock was granted.
    const [moved] = await tx.execute<{ seq: string | number }>(sql`
      with p as (
        select id, row_number() over (order by committed_at, id) as n
        from ${outbox} where collection = ${collection} and seq is null
      ), u as (
        update ${outbox} o set seq = ${Number(row.seq)} + p.n from p where o.id = p.id returning 1
      )
      update ${streams} set seq = seq + (select count(*) from u)
      where collection = ${collection} and exists (select 1 from u) returning seq`);
    return { collection, epoch: row.epoch, seq: Number(moved?.seq ?? row.seq) };
  });
}

/**
 * Creates the stream rows of these collections if they are missing. A row
 * that had to be created starts a new history: outbox rows left from an
 * older one are removed, and the new epoch tells clients to refetch.
 */
export async function ensureStreams(db: DatabaseAdapter, collections: string[]): Promise<void> {
  for (const collection of collections) {
    const created = await db.execute(
      sql`insert into ${streams} (collection, epoch, seq) values (${collection}, ${newEpoch()}, 0)
          on conflict (collection) do nothing returning collection`,
    );
    if (created.length)
      await db.execute(sql`delete from ${outbox} where collection = ${collection}`);
  }
}

/** Every stream's head, and whether changes wait for a number. */
export async function readHeads(
  db: DatabaseAdapter,
): Promise<Array<StreamHead & { pending: boolean }>> {
  const rows = await db.execute<{
    collection: string;
    epoch: string;
    seq: string | number;
    pending: boolean;
  }>(
    sql`select s.collection, s.epoch, s.seq,
               exists (select 1 from ${outbox} o where o.collection = s.collection and o.seq is null) as pending
        from ${streams} s`,
  );
  return rows.map((r) => ({
    collection: r.collection,
    epoch: r.epoch,
    seq: Number(r.seq),
    pending: r.pending,
  }));
}

type OutboxRow = {
  seq: string | number;
  operation: Operation;
  doc_id: string;
  doc: Doc | string;
  previous_doc: Doc | string | null;
};

const json = (v: Doc | string): Doc => (typeof v === "string" ? (JSON.parse(v) as Doc) : v);

/** Changes after `after`, up to and including `upTo`, in order, at most `limit`. */
export async function readChanges(
  db: DatabaseAdapter,
  input: { collection: string; after: number; upTo?: number; limit: number },
): Promise<OutboxEvent[]> {
  const upTo = input.upTo === undefined ? sql`` : sql` and seq <= ${input.upTo}`;
  const rows = await db.execute<OutboxRow>(
    sql`select seq, operation, doc_id, doc, previous_doc from ${outbox}
        where collection = ${input.collection} and seq > ${input.after}${upTo}
        order by seq limit ${input.limit}`,
  );
  return rows.map((r) => ({
    collection: input.collection,
    seq: Number(r.seq),
    operation: r.operation,
    id: r.doc_id,
    doc: json(r.doc),
    previousDoc: r.previous_doc === null ? null : json(r.previous_doc),
  }));
}

/** Whether the change right after `seq` is still kept (resume from `seq` is exact). */
export async function isRetained(
  db: DatabaseAdapter,
  collection: string,
  seq: number,
): Promise<boolean> {
  const rows = await db.execute(
    sql`select 1 from ${outbox} where collection = ${collection} and seq = ${seq + 1}`,
  );
  return rows.length > 0;
}

/** Removes changes beyond the retention bounds: count and age, per collection. */
export async function prune(
  db: DatabaseAdapter,
  input: { retainEvents: number; retainSeconds: number },
): Promise<number> {
  const rows = await db.execute(
    sql`delete from ${outbox} o using ${streams} s
        where o.collection = s.collection and o.seq is not null
          and (o.seq <= s.seq - ${input.retainEvents}
               or o.committed_at < now() - make_interval(secs => ${input.retainSeconds}))
        returning 1`,
  );
  return rows.length;
}
