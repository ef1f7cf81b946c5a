/**
 * The CRUD benchmark: the demo's Lucent server against a hand-written
 * Bun.serve + postgres.js baseline, on one freshly seeded database.
 * `bun run bench/crud.ts --help` lists the options.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { createFreshDatabase, databaseUrl, dropDatabase } from "./database.ts";
import { type Endpoint, endpoints } from "./endpoints.ts";
import { combineResults, type LoadResult, loadRunner, toolName } from "./load.ts";
import { lucentHeaders } from "./lucent-auth.ts";
import { type CrudOptions, parseCrudOptions, type Side } from "./options.ts";
import { checkParity, type ParityResult } from "./parity.ts";
import { type EndpointResult, formatTable, writeResults } from "./report.ts";
import { removeCreatedPosts, samplePostIds, seed } from "./seed-sql.ts";
import { REPO_ROOT, type RunningServer, startServer } from "./servers.ts";

const log = (message: string) => console.log(`[bench] ${message}`);

async function postgresVersion(url: string): Promise<string> {
  const sql = postgres(url, { max: 1 });
  try {
    const [row] = await sql<{ v: string }[]>`show server_version`;
    return row?.v ?? "unknown";
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Header names only: values may be credentials. */
function redacted(
  options: CrudOptions,
): Omit<CrudOptions, "headers" | "pgUrl"> & { headers: string[] } {
  const { headers, pgUrl: _pgUrl, ...rest } = options;
  return { ...rest, headers: Object.keys(headers) };
}

async function measure(
  options: CrudOptions,
  server: RunningServer,
  endpoint: Endpoint,
  headers: Record<string, string>,
  dbUrl: string,
): Promise<LoadResult> {
  const run = loadRunner(options.tool);
  const token = `${server.side}-${Date.now().toString(36)}`;
  const base = {
    baseUrl: server.baseUrl,
    endpoint,
    connections: options.connections,
    threads: options.threads,
    headers,
  };
  if (options.warmup > 0) await run({ ...base, seconds: options.warmup, runToken: `${token}-w` });
  const result = await run({ ...base, seconds: options.duration, runToken: token });
  if (endpoint.key === "create") {
    // Requests still in flight when the load stops may commit a moment later.
    await Bun.sleep(500);
    await removeCreatedPosts(dbUrl);
  }
  return result;
}

export async function runCrud(argv: readonly string[]): Promise<void> {
  const options = parseCrudOptions(argv);
  const dbUrl = databaseUrl(options.pgUrl, options.database);
  const workDir = mkdtempSync(join(tmpdir(), "lucent-bench-"));
  const servers: RunningServer[] = [];
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    await Promise.all(servers.map((s) => s.stop()));
    if (!options.keepDatabase) await dropDatabase(options.pgUrl, options.database).catch(() => {});
    rmSync(workDir, { recursive: true, force: true });
  };
  const onSignal = () => void cleanup().finally(() => process.exit(130));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  try {
    log(`fresh database ${options.database}`);
    await createFreshDatabase(options.pgUrl, options.database);
    const start = {
      databaseUrl: dbUrl,
      workDir,
      logLevel: options.logLevel,
      pool: options.pool,
      access: options.access,
    };
    // Lucent's migrator creates the demo's schema, whichever side is measured.
    const lucent = await startServer("lucent", start);
    servers.push(lucent);
    const t0 = performance.now();
    log(`seeding ${options.posts} posts by ${options.authors} authors`);
    const { unseeded } = await seed({ url: dbUrl, posts: options.posts, authors: options.authors });
    log(`seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    if (unseeded.length)
      log(`warning: the seed leaves these demo columns empty: ${unseeded.join(", ")}`);
    const ids = await samplePostIds(dbUrl, options.ids);
    const baseline = await startServer("baseline", start);
    servers.push(baseline);
    const bySide: Record<Side, RunningServer> = { baseline, lucent };
    const headers = options.anonymous
      ? options.headers
      : await lucentHeaders({ baseUrl: lucent.baseUrl, headers: options.headers });

    const all = endpoints(ids);
    const selected = options.endpoints.map((key) => all[key]);
    let parity: ParityResult[] = [];
    if (options.sides.length === 2) {
      parity = await checkParity(baseline.baseUrl, lucent.baseUrl, selected, headers);
      await removeCreatedPosts(dbUrl);
      for (const p of parity)
        log(`same response: ${p.endpoint}: ${p.same ? "yes" : `NO — ${p.detail}`}`);
    }

    const rows: EndpointResult[] = [];
    for (const endpoint of selected) {
      const rounds: EndpointResult["rounds"] = [];
      for (let round = 0; round < options.rounds; round++) {
        // Alternate which server goes first, so drift in the machine's load favours neither.
        const order = round % 2 === 0 ? options.sides : [...options.sides].reverse();
        const results: Partial<Record<Side, LoadResult>> = {};
        for (const side of order) {
          log(`${endpoint.label} on ${side}, round ${round + 1}/${options.rounds}`);
          results[side] = await measure(options, bySide[side], endpoint, headers, dbUrl);
        }
        rounds.push(results);
      }
      const results: Partial<Record<Side, LoadResult>> = {};
      for (const side of options.sides) results[side] = combineResults(rounds.map((r) => r[side]!));
      rows.push({ endpoint: endpoint.key, label: endpoint.label, results, rounds });
    }

    const table = formatTable(rows);
    console.log(`\n${table}\n`);
    const differing = parity.filter((p) => !p.same).map((p) => p.endpoint);
    if (differing.length) {
      log(
        `WARNING: the servers answered differently on ${differing.join(", ")}: those ratios compare different work`,
      );
    }
    const file = writeResults(join(REPO_ROOT, "bench/results"), "crud", {
      benchmark: "crud",
      finishedAt: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        loadAverage: loadavg(),
        bun: Bun.version,
        postgres: await postgresVersion(dbUrl),
      },
      tool: toolName(options.tool),
      options: redacted(options),
      parity,
      results: rows,
      table,
    });
    log(`raw results: ${file}`);
  } finally {
    await cleanup();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

if (import.meta.main) {
  try {
    await runCrud(Bun.argv.slice(2));
  } catch (error) {
    console.error(`[bench] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
