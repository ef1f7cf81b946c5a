/**
 * Login timing for a known and an unknown email: the enumeration-resistance
 * claim of @lucent/auth, measured. Both paths run one lookup and one argon2id
 * verification, so their medians should agree within noise.
 *   bun --conditions=lucent-source bench/auth-timing.ts [--rounds 40] [--database-url postgres://…]
 * Without --database-url (or DATABASE_URL) it runs on an in-memory PGlite; with
 * one, in a fresh database on that server, dropped at the end.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { auth } from "../packages/auth/src/index.ts";
import { createKernel, defineCollection, lucentPlugin } from "../packages/core/src/index.ts";
import { createTestDatabase } from "../tooling/test-utils/src/index.ts";

const { values: args } = parseArgs({
  options: { rounds: { type: "string" }, "database-url": { type: "string" } },
});
const rounds = Number(args.rounds ?? 40);
const server = args["database-url"] ?? Bun.env.DATABASE_URL;
if (server) Bun.env.TEST_DATABASE_URL = server;
else delete Bun.env.TEST_DATABASE_URL;
const database = await createTestDatabase();
const url = database.url;
const dataDir = mkdtempSync(join(tmpdir(), "lucent-auth-timing-"));

const Users = defineCollection({
  slug: "bench-users",
  auth: true,
  fields: { name: { type: "text" } },
});
const kernel = await createKernel({
  db: { url },
  dataDir,
  collections: [Users],
  // Lockout would end the measurement after five failures; it is not what is measured here.
  modules: [auth({ strategies: ["jwt"], lockoutAttempts: 1_000_000, mail: { welcome: false } })],
  typegen: { output: false },
  api: { rateLimit: false },
});
const app = lucentPlugin(kernel, { handleSignals: false });

const post = (path: string, body: unknown) =>
  app.handle(
    new Request(`http://localhost/api${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  );

const known = `known-${Date.now()}@example.com`;
const registered = await post("/auth/register", { email: known, password: "the right password" });
if (registered.status !== 201) throw new Error(`registration failed with ${registered.status}`);

async function timeLogin(email: string, password: string, expected: number): Promise<number> {
  const start = performance.now();
  const res = await post("/auth/login", { email, password });
  const ms = performance.now() - start;
  await res.arrayBuffer();
  if (res.status !== expected)
    throw new Error(`login answered ${res.status}, expected ${expected}`);
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

// Warm up both paths, then interleave so drift affects both equally.
for (let i = 0; i < 3; i++) {
  await timeLogin(known, "wrong password", 401);
  await timeLogin(`unknown-${i}@example.com`, "wrong password", 401);
}
const times = { knownWrong: [] as number[], unknown: [] as number[], knownRight: [] as number[] };
for (let i = 0; i < rounds; i++) {
  times.knownWrong.push(await timeLogin(known, "wrong password", 401));
  times.unknown.push(await timeLogin(`unknown-${i}@example.com`, "wrong password", 401));
  times.knownRight.push(await timeLogin(known, "the right password", 200));
}

const fmt = (xs: number[]) => `${median(xs).toFixed(1)} ms`;
console.log(
  `login timing on ${url.startsWith("memory") ? "PGlite (memory)" : "Postgres"}, ${rounds} rounds each`,
);
console.log(`  known email, wrong password   median ${fmt(times.knownWrong)}`);
console.log(`  unknown email                 median ${fmt(times.unknown)}`);
console.log(
  `  known email, right password   median ${fmt(times.knownRight)}  (issues tokens: not comparable)`,
);
const diff = median(times.knownWrong) - median(times.unknown);
console.log(
  `  difference known - unknown    ${diff.toFixed(1)} ms (${((100 * diff) / median(times.unknown)).toFixed(1)}%)`,
);

await kernel.stop();
await database.close();
rmSync(dataDir, { recursive: true, force: true });
