/**
 * One kernel's delivery engine. Per collection it keeps `head`, the last
 * change delivered to its live subscribers, and reads the outbox after it
 * in order whenever it is woken: by the change feed (this instance's writes,
 * and other instances' through the bus) or by the poll that catches a lost
 * notification. Everything that moves `head` or joins a subscriber runs in
 * one queue per collection, so each subscriber gets each change once, in order.
 */
import type { DatabaseAdapter, Logger } from "@lucent/core";
import { type Cursor, formatCursor } from "./cursor.ts";
import { type Audience, type DispatchContext, dispatch } from "./dispatch.ts";
import { isRetained, readChanges, readHeads, stamp } from "./outbox.ts";
import { type Group, type Subscription, topicOf, treeKey } from "./subscription.ts";

const BATCH = 500;

interface Stream {
  epoch: string;
  head: number;
  groups: Map<string, Group & Audience>;
  queue: Promise<void>;
  scheduled: boolean;
}

export interface HubInput {
  db: DatabaseAdapter;
  logger: Logger;
  dispatch: DispatchContext;
  collections: readonly string[];
}

export class Hub {
  private readonly streams = new Map<string, Stream>();

  constructor(private readonly input: HubInput) {}

  /** Reads every stream's position: subscribers joining now start from there. */
  async load(): Promise<void> {
    for (const h of await readHeads(this.input.db)) {
      if (!this.input.collections.includes(h.collection)) continue;
      this.streams.set(h.collection, {
        epoch: h.epoch,
        head: h.seq,
        groups: new Map(),
        queue: Promise.resolve(),
        scheduled: false,
      });
    }
  }

  private stream(collection: string): Stream {
    const s = this.streams.get(collection);
    if (!s) throw new Error(`no realtime stream for ${collection}`);
    return s;
  }

  /** Runs `fn` after everything queued for the collection. */
  private serial<T>(stream: Stream, fn: () => Promise<T>): Promise<T> {
    const run = stream.queue.then(fn);
    stream.queue = run.then(
      () => undefined,
      (err) => this.input.logger.error({ err }, "realtime delivery failed"),
    );
    return run;
  }

  /** A change may be waiting in the outbox: read it soon (wake-ups coalesce). */
  wake(collection: string): void {
    const stream = this.streams.get(collection);
    if (!stream || stream.scheduled) return;
    stream.scheduled = true;
    void this.serial(stream, async () => {
      stream.scheduled = false;
      await this.pull(collection, stream);
    });
  }

  /** Wakes every stream the database says has moved, and resets those whose history was lost. */
  async poll(): Promise<void> {
    for (const h of await readHeads(this.input.db)) {
      const stream = this.streams.get(h.collection);
      if (!stream) continue;
      if (h.epoch !== stream.epoch) {
        await this.serial(stream, async () => this.resetAll(stream, h.epoch, h.seq));
      } else if (h.pending || h.seq > stream.head) this.wake(h.collection);
    }
  }

  private async pull(collection: string, stream: Stream): Promise<void> {
    const h = await stamp(this.input.db, collection);
    // Another history: its subscribers refetch, and it is followed from here.
    if (h.epoch !== stream.epoch) await this.resetAll(stream, h.epoch, h.seq);
    if (stream.groups.size === 0) {
      // Nobody listens here: move on without reading the changes.
      stream.head = Math.max(stream.head, h.seq);
      return;
    }
    for (;;) {
      const events = await readChanges(this.input.db, {
        collection,
        after: stream.head,
        limit: BATCH,
      });
      for (const event of events) {
        if (event.seq !== stream.head + 1) {
          // Pruned before this instance read it: its subscribers cannot be told exactly.
          await this.resetAll(stream, stream.epoch, event.seq - 1);
        }
        await dispatch(this.input.dispatch, event, stream.epoch, stream.groups.values());
        stream.head = event.seq;
      }
      if (events.length < BATCH) return;
    }
  }

  private async resetAll(stream: Stream, epoch: string, seq: number): Promise<void> {
    stream.epoch = epoch;
    stream.head = seq;
    const cursor = formatCursor({ epoch, seq });
    for (const group of stream.groups.values()) {
      for (const sub of group.members) {
        sub.head = seq;
        sub.sink.send(sub.framer.reset(cursor));
      }
    }
  }

  /** The stream's current position, for a subscriber that starts now. */
  position(collection: string): Cursor {
    const s = this.stream(collection);
    return { epoch: s.epoch, seq: s.head };
  }

  /**
   * Adds a subscription that resumes after `from` (or starts now): the
   * changes it missed are sent first, from the outbox, then it joins the
   * live stream, with nothing missed or sent twice. `ready` runs first, with
   * the cursor the client's events follow (a reset when `from` cannot be kept).
   */
  join(
    sub: Subscription,
    probe: Audience["probe"],
    from: Cursor | null,
    ready: (cursor: string, reset: boolean) => void,
  ): Promise<void> {
    const stream = this.stream(sub.collection);
    return this.serial(stream, async () => {
      if (sub.sink.closed) return;
      let start = stream.head;
      let reset = false;
      if (from) {
        await this.pull(sub.collection, stream);
        if (from.epoch !== stream.epoch || from.seq > stream.head) reset = true;
        else if (
          from.seq < stream.head &&
          !(await isRetained(this.input.db, sub.collection, from.seq))
        )
          reset = true;
        else start = from.seq;
      }
      sub.head = start;
      ready(formatCursor({ epoch: stream.epoch, seq: start }), reset);
      const single: Audience = { tree: sub.tree, members: new Set([sub]), probe };
      while (sub.head < stream.head && !sub.sink.closed) {
        const events = await readChanges(this.input.db, {
          collection: sub.collection,
          after: sub.head,
          upTo: stream.head,
          limit: BATCH,
        });
        if (events.length === 0) break;
        for (const event of events)
          await dispatch(this.input.dispatch, event, stream.epoch, [single]);
        sub.head = events.at(-1)!.seq;
      }
      sub.head = stream.head;
      const key = treeKey(sub.tree);
      let group = stream.groups.get(key);
      if (!group) {
        group = { key, tree: sub.tree, members: new Set(), probe, topics: new Map() };
        stream.groups.set(key, group);
      }
      group.members.add(sub);
      sub.group = group;
      if (sub.sink.fanout) {
        sub.topic = topicOf(group, sub.framer.shareKey);
        sub.sink.fanout.subscribe(sub.topic);
      }
    });
  }

  leave(sub: Subscription): void {
    const group = sub.group;
    if (!group) return;
    group.members.delete(sub);
    if (sub.topic) sub.sink.fanout?.unsubscribe(sub.topic);
    sub.topic = undefined;
    if (group.members.size === 0) this.streams.get(sub.collection)?.groups.delete(group.key);
    sub.group = undefined;
  }

  /** Waits for everything queued (tests and shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.streams.values()].map((s) => s.queue));
  }

  subscriberCount(): number {
    let n = 0;
    for (const s of this.streams.values()) for (const g of s.groups.values()) n += g.members.size;
    return n;
  }
}
