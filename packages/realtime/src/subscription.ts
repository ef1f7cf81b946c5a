/**
 * A subscription and the group it delivers with. Subscribers whose filters
 * compile to the same tree share a group: each change is judged once per
 * group, not once per subscriber.
 */
import type { LucentUser, WhereNode } from "@lucent/core";
import type { Operation } from "./outbox.ts";

/** One client connection: where frames go. */
export interface Sink {
  readonly user: LucentUser | null;
  /** A WebSocket's native topics: identical frames go to all of a topic's sockets in one call. */
  readonly fanout?: Fanout | undefined;
  /** Queues a frame; a sink whose backlog is past its bound ends itself. */
  send(frame: string): void;
  readonly closed: boolean;
}

/** How a subscription writes an event: SSE and WebSocket frames differ. */
export interface Framer {
  /** Frames of one change that several subscribers can share are keyed by this. */
  readonly shareKey: string;
  event(input: {
    collection: string;
    operation: Operation;
    id: string;
    doc: string;
    cursor: string;
  }): string;
  reset(cursor: string): string;
}

/** What a WebSocket connection offers for publishing to a topic (Bun's pub/sub). */
export interface Fanout {
  subscribe(topic: string): void;
  unsubscribe(topic: string): void;
  /** Publishes to every socket on the topic (Bun's `server.publish`). */
  publish(topic: string, frame: string): void;
  /** Ends the connection if its unread backlog passed the bound. */
  checkBacklog(): void;
}

export interface Subscription {
  readonly sink: Sink;
  readonly collection: string;
  readonly tree: WhereNode;
  readonly framer: Framer;
  /** The last seq delivered to this subscription (or skipped for it). */
  head: number;
  group?: Group;
  /** The topic it receives shared frames on, when its connection has topics. */
  topic?: string | undefined;
}

export interface Group {
  readonly key: string;
  readonly tree: WhereNode;
  readonly members: Set<Subscription>;
  /** Topic names by framer share key (one per subscription id used in the group). */
  readonly topics: Map<string, string>;
}

let topics = 0;
/** A short topic name for a group and share key. */
export function topicOf(group: Group, shareKey: string): string {
  let topic = group.topics.get(shareKey);
  if (!topic) {
    topic = `lucent-rt:${++topics}`;
    group.topics.set(shareKey, topic);
  }
  return topic;
}

/**
 * A key that two equal trees share. Trees hold resolved collections in
 * dotted paths: those are named by slug.
 */
export function treeKey(tree: WhereNode): string {
  return JSON.stringify(tree, (key, value) =>
    key === "target" && value && typeof value === "object"
      ? (value as { slug: string }).slug
      : value,
  );
}
