/**
 * An event bus on Postgres LISTEN/NOTIFY, for instances that share a
 * database and no Redis. Every bus channel travels on one notification
 * channel (names are any string here; Postgres truncates identifiers at
 * 63 bytes). A notification holds at most 8,000 bytes: a larger message is
 * stored in a table and the notification carries its id. Notifications are
 * handled in arrival order, so a stored message does not let later ones
 * overtake it.
 */
import { createLogger, type EventBus, type Logger } from "@lucent/core";
import postgres from "postgres";
import { type Envelope, Fanout, isEnvelope } from "./bus-fanout.ts";
import { BUS_SPILL } from "./tables.ts";

export interface PostgresBusOptions {
  /** `postgres://…` of the shared database. */
  url: string;
  /** The notification channel. @default "lucent_bus" */
  channel?: string;
  logger?: Logger;
}

/** Notifications past this many bytes are stored in a table instead. */
const INLINE_BYTES = 7000;
/** Stored messages are kept this long for every listener to fetch. */
const SPILL_SECONDS = 300;

export function postgresBus(options: PostgresBusOptions): EventBus {
  const logger = options.logger ?? createLogger();
  const channel = options.channel ?? "lucent_bus";
  const connect = () =>
    postgres(options.url, {
      max: 1,
      onnotice: () => {},
      connection: { application_name: "lucent-bus" },
    });
  // One connection publishes, so notifications leave in the order publish was called.
  const pub = connect();
  const sub = connect();
  const fanout = new Fanout(logger);
  let inbox = Promise.resolve();

  const receive = async (text: string) => {
    let envelope: unknown;
    try {
      envelope = JSON.parse(text);
    } catch {
      return;
    }
    if (!isEnvelope(envelope)) return;
    if (envelope.s !== undefined) {
      const rows = await pub.unsafe(`select payload from ${BUS_SPILL} where id = $1`, [envelope.s]);
      const payload = rows[0]?.payload as string | undefined;
      if (payload === undefined)
        return logger.warn({ id: envelope.s }, "bus message no longer stored");
      fanout.deliver(envelope.c, JSON.parse(payload));
    } else fanout.deliver(envelope.c, envelope.m);
  };

  const ready = (async () => {
    // Instances start together: the lock keeps two creates of the table from colliding.
    await pub.begin(async (tx) => {
      await tx.unsafe("select pg_advisory_xact_lock(hashtext('lucent_realtime_bus_spill'))");
      await tx.unsafe(
        `create table if not exists ${BUS_SPILL} (id uuid primary key, payload text not null, created_at timestamptz not null default now())`,
      );
    });
    await sub.listen(channel, (text) => {
      inbox = inbox
        .then(() => receive(text))
        .catch((err) => logger.error({ err }, "bus message lost"));
    });
  })();
  ready.catch(() => {});

  let published = 0;
  return {
    name: "postgres",
    async publish(name, message) {
      await ready;
      const inline = JSON.stringify({ c: name, m: message } satisfies Envelope);
      if (Buffer.byteLength(inline) <= INLINE_BYTES) {
        await pub`select pg_notify(${channel}, ${inline})`;
        return;
      }
      const id = Bun.randomUUIDv7();
      await pub.unsafe(`insert into ${BUS_SPILL} (id, payload) values ($1, $2)`, [
        id,
        JSON.stringify(message),
      ]);
      await pub`select pg_notify(${channel}, ${JSON.stringify({ c: name, s: id } satisfies Envelope)})`;
      if (++published % 100 === 0) {
        await pub.unsafe(
          `delete from ${BUS_SPILL} where created_at < now() - make_interval(secs => $1)`,
          [SPILL_SECONDS],
        );
      }
    },
    subscribe: (name, handler) => fanout.subscribe(name, handler),
    async check() {
      await ready;
      await pub`select 1`;
    },
    async stop() {
      fanout.stopped = true;
      await ready.catch(() => {});
      await Promise.all([sub.end({ timeout: 2 }), pub.end({ timeout: 2 })]);
    },
  };
}
