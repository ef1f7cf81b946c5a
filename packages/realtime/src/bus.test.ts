import { afterAll, beforeAll, expect, test } from "bun:test";
import { eventBusSuite, waitFor } from "@lucent/conformance";
import { createLogger } from "@lucent/core";
import { REDIS_URL, throwawayDatabase } from "../test/postgres-server.ts";
import { postgresBus } from "./bus-postgres.ts";
import { redisBus } from "./bus-redis.ts";

const logger = createLogger({ level: "silent" });
let database: { url: string; drop(): Promise<void> };
beforeAll(async () => {
  database = await throwawayDatabase();
});
afterAll(async () => {
  await database.drop();
});

eventBusSuite("postgres LISTEN/NOTIFY", {
  make: () => postgresBus({ url: database.url, logger }),
  shared: true,
});

eventBusSuite("redis", {
  make: () => redisBus({ url: REDIS_URL, channel: "lucent-test:bus", logger }),
  shared: true,
});

test("postgres: a message past the 8,000-byte notification limit arrives whole and in order", async () => {
  const [a, b] = [
    postgresBus({ url: database.url, logger }),
    postgresBus({ url: database.url, logger }),
  ];
  try {
    const heard: unknown[] = [];
    b.subscribe("big", (m) => void heard.push(m));
    await waitFor("the second bus to listen", async () => {
      await a.publish("big", "probe");
      await Bun.sleep(20);
      return heard.includes("probe");
    });
    heard.length = 0;
    const large = { doc: "é".repeat(20_000) };
    await a.publish("big", 1);
    await a.publish("big", large);
    await a.publish("big", 2);
    await waitFor("three messages", () => heard.length === 3);
    expect(heard).toEqual([1, large, 2]);
  } finally {
    await Promise.all([a.stop?.(), b.stop?.()]);
  }
});
