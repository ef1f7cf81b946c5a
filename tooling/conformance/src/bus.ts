/**
 * The rules every event bus keeps, run by each bus's own tests:
 * `eventBusSuite("memory", { make: () => memoryBus(), shared: false })`.
 * The change feed is the kernel's own subscriber; modules get the bus as
 * `ctx.bus`. Each test below is named after the rule it checks.
 *
 * 1. Echo. A publish reaches every subscriber of its channel, those on the
 *    publishing bus included: a bus does not know who published. A caller that
 *    must not hear itself stamps an origin on its messages (the change feed does).
 * 2. Exact channels. A subscriber hears its own channel only; `:`, `.` and `*`
 *    are ordinary characters, never patterns.
 * 3. JSON in, equal JSON out. A message is a JSON value and arrives equal to
 *    what was published, as a copy or as the same object (so subscribers treat
 *    it as read-only). Only JSON is portable: a Date or a Map may arrive changed.
 * 4. Order. A subscriber hears what one bus publishes on one channel in the
 *    order `publish` was called.
 * 5. Once, and only while listening. Each subscription hears each publish
 *    once; nothing is stored, so a subscription never hears what was published
 *    before it began.
 * 6. Live on return. Once `subscribe` has returned, publishes through the same
 *    bus reach it (a bus that subscribes asynchronously underneath makes its own
 *    `publish` wait for that).
 * 7. Unsubscribe ends that subscription only. The function `subscribe` returns
 *    stops its handler hearing later publishes; the channel's other
 *    subscriptions, the same handler's second one included, keep hearing;
 *    calling it again does nothing.
 * 8. A failing subscriber fails no one else. A handler that throws, or returns
 *    a promise that rejects, does not keep the others from hearing the message,
 *    does not fail `publish`, and does not end the process: the bus logs it.
 * 9. `publish` does not wait for subscribers. It resolves once the bus has
 *    taken the message, whether or not a handler has finished: a slow
 *    subscriber never holds up the write that published.
 * 10. Shared (capability `shared`). Buses on one backend (instances on one
 *    Redis) reach each other's subscribers: a publish on one is heard once by
 *    each subscriber on each of them. An in-process bus is a world of its own.
 * 11. Lifecycle. `check`, when present, resolves on a healthy bus; `stop`, when
 *    present, resolves, and after it the bus's subscribers hear nothing.
 */
import { afterEach, describe, expect, test } from "bun:test";
// Core's own tests run this suite: it reads the contract from core's source (see jobs.ts).
import type { EventBus } from "../../../packages/core/src/drivers/drivers.ts";
import { waitFor } from "./jobs.ts";
import { uniqueName } from "./unique-name.ts";

export interface EventBusSuiteOptions {
  /** A new bus. With `shared`, every bus it returns is on the same backend. */
  make: () => EventBus | Promise<EventBus>;
  /** Buses from `make` reach each other's subscribers (rule 10); false for an in-process bus. */
  shared: boolean;
}

/** Long enough for a stray delivery to arrive after the last one we waited for. */
const SETTLE_MS = 100;

export function eventBusSuite(name: string, options: EventBusSuiteOptions) {
  describe(`event bus: ${name}`, () => {
    let made: EventBus[] = [];
    afterEach(async () => {
      await Promise.all(made.map((bus) => bus.stop?.()));
      made = [];
    });
    const bus = async () => {
      const b = await options.make();
      made.push(b);
      return b;
    };
    /** A subscription that records what it hears. */
    const listen = (on: EventBus, channel: string) => {
      const heard: unknown[] = [];
      const leave = on.subscribe(channel, (m) => void heard.push(m));
      return { heard, leave };
    };
    const hears = (heard: unknown[], message: unknown) =>
      waitFor(`a subscriber to hear ${JSON.stringify(message)}`, () =>
        heard.some((m) => Bun.deepEquals(m, message)),
      );

    test("(1) a publish reaches every subscriber of its channel, those on the publishing bus included", async () => {
      const b = await bus();
      const channel = uniqueName("echo");
      const first = listen(b, channel);
      const second = listen(b, channel);
      await b.publish(channel, { n: 1 });
      await hears(first.heard, { n: 1 });
      await hears(second.heard, { n: 1 });
    });

    test("(2) a subscriber hears its own channel only, and `*` in a name is not a pattern", async () => {
      const b = await bus();
      const base = uniqueName("exact");
      const exact = listen(b, `${base}:a`);
      const star = listen(b, `${base}:*`);
      const prefix = listen(b, base);
      await b.publish(`${base}:a`, "to a");
      await b.publish(`${base}:b`, "to b");
      await hears(exact.heard, "to a");
      await Bun.sleep(SETTLE_MS);
      expect(exact.heard).toEqual(["to a"]);
      expect(star.heard).toEqual([]);
      expect(prefix.heard).toEqual([]);
    });

    test("(3) a JSON message arrives equal to what was published", async () => {
      const b = await bus();
      const channel = uniqueName("json");
      const sub = listen(b, channel);
      const messages = [
        {
          origin: "0190a",
          event: { collection: "notes", doc: { title: "Grüße 🎉", tags: ["a", "b"], n: 1.5 } },
          previousDoc: null,
          local: false,
        },
        "a string with \n a line break",
        42,
        true,
        null,
        [1, "two", { three: 3 }],
      ];
      for (const m of messages) await b.publish(channel, m);
      await waitFor("every message", () => sub.heard.length === messages.length);
      expect(sub.heard).toEqual(messages);
    });

    test("(4) a subscriber hears one bus's publishes on a channel in the order they were made", async () => {
      const b = await bus();
      const channel = uniqueName("order");
      const sub = listen(b, channel);
      const sent = Array.from({ length: 200 }, (_, i) => i);
      // Called back to back, not awaited one by one: order must not depend on the caller waiting.
      await Promise.all(sent.map((i) => b.publish(channel, i)));
      await waitFor("two hundred messages", () => sub.heard.length === sent.length);
      expect(sub.heard).toEqual(sent);
    });

    test("(5) each subscription hears each publish once, and never what came before it", async () => {
      const b = await bus();
      const channel = uniqueName("once");
      const early = listen(b, channel);
      await b.publish(channel, "before");
      await hears(early.heard, "before");
      const late = listen(b, channel);
      await b.publish(channel, "after");
      await hears(late.heard, "after");
      await Bun.sleep(SETTLE_MS);
      expect(early.heard).toEqual(["before", "after"]);
      expect(late.heard).toEqual(["after"]);
    });

    test("(6) a publish made right after subscribe returned reaches the new subscription", async () => {
      const b = await bus();
      const channel = uniqueName("live");
      const sub = listen(b, channel);
      await b.publish(channel, "first");
      await hears(sub.heard, "first");
      expect(sub.heard).toEqual(["first"]);
    });

    test("(7) unsubscribing ends that subscription only, and a second call does nothing", async () => {
      const b = await bus();
      const channel = uniqueName("leave");
      const heard: string[] = [];
      const handler = (m: unknown) => void heard.push(`shared ${String(m)}`);
      const leaveOne = b.subscribe(channel, handler);
      b.subscribe(channel, handler);
      const other = listen(b, channel);
      await b.publish(channel, 1);
      await hears(other.heard, 1);
      leaveOne();
      leaveOne();
      await b.publish(channel, 2);
      await hears(other.heard, 2);
      await Bun.sleep(SETTLE_MS);
      expect(heard).toEqual(["shared 1", "shared 1", "shared 2"]);
      expect(other.heard).toEqual([1, 2]);
      other.leave();
      await b.publish(channel, 3);
      await Bun.sleep(SETTLE_MS);
      expect(other.heard).toEqual([1, 2]);
    });

    test("(8) a subscriber that throws or rejects keeps no one else from hearing, and publish still resolves", async () => {
      const b = await bus();
      const channel = uniqueName("throw");
      b.subscribe(channel, () => {
        throw new Error("a broken subscriber");
      });
      b.subscribe(channel, async () => {
        throw new Error("a broken async subscriber");
      });
      const after = listen(b, channel);
      await b.publish(channel, "still heard");
      await b.publish(channel, "and again");
      await waitFor("both messages", () => after.heard.length === 2);
      expect(after.heard).toEqual(["still heard", "and again"]);
      // An unhandled rejection would surface here, failing this test rather than a later one.
      await Bun.sleep(SETTLE_MS);
    });

    test("(9) publish resolves while a subscriber is still busy", async () => {
      const b = await bus();
      const channel = uniqueName("slow");
      let started = false;
      b.subscribe(channel, async () => {
        started = true;
        await new Promise(() => {});
      });
      const outcome = await Promise.race([
        b.publish(channel, "x").then(() => "resolved"),
        Bun.sleep(2000).then(() => "held"),
      ]);
      expect(outcome).toBe("resolved");
      await waitFor("the slow subscriber to start", () => started);
    });

    test.skipIf(!options.shared)(
      "(10) buses on one backend hear each other's publishes, each subscriber once",
      async () => {
        const [a, b] = [await bus(), await bus()];
        const channel = uniqueName("shared");
        const onA = listen(a, channel);
        const onB = listen(b, channel);
        // Another bus subscribes on its own schedule: wait until it hears before counting.
        await waitFor("the other bus to listen", async () => {
          await a.publish(channel, "probe");
          await Bun.sleep(20);
          return onB.heard.includes("probe");
        });
        await Bun.sleep(SETTLE_MS);
        onA.heard.length = 0;
        onB.heard.length = 0;
        await a.publish(channel, "from a");
        await b.publish(channel, "from b");
        await waitFor("both messages on both buses", () =>
          [onA.heard, onB.heard].every((h) => h.length >= 2),
        );
        await Bun.sleep(SETTLE_MS);
        expect(onA.heard).toEqual(["from a", "from b"]);
        expect(onB.heard).toEqual(["from a", "from b"]);
      },
    );

    test("(11) check resolves on a healthy bus, stop resolves, and a stopped bus's subscribers hear nothing", async () => {
      const b = await bus();
      await b.check?.();
      if (!b.stop) return;
      const channel = uniqueName("stop");
      const sub = listen(b, channel);
      await b.publish(channel, "before");
      await hears(sub.heard, "before");
      await b.stop();
      made = made.filter((m) => m !== b);
      if (options.shared) {
        const other = await bus();
        await other.publish(channel, "after");
        await Bun.sleep(SETTLE_MS);
      }
      expect(sub.heard).toEqual(["before"]);
    });
  });
}
