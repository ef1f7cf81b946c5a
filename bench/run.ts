/**
 * `bun run bench [crud|jobs|all] [options]`: runs one benchmark, or all in
 * turn. Options after the name go to the benchmark (`--help` lists them).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";

const BENCHMARKS = {
  crud: "crud.ts",
  jobs: "jobs.ts",
} as const;
type Name = keyof typeof BENCHMARKS;

const [first, ...rest] = Bun.argv.slice(2);
const asked = first === undefined || first.startsWith("-") ? "crud" : first;
const args = first === undefined || first.startsWith("-") ? Bun.argv.slice(2) : rest;
const names: Name[] =
  asked === "all"
    ? (Object.keys(BENCHMARKS) as Name[])
    : asked in BENCHMARKS
      ? [asked as Name]
      : [];
if (names.length === 0) {
  console.error(`unknown benchmark "${asked}": use ${Object.keys(BENCHMARKS).join(", ")} or all`);
  process.exit(2);
}

let failed = false;
for (const name of names) {
  const file = join(import.meta.dir, BENCHMARKS[name]);
  if (!existsSync(file)) {
    console.error(`[bench] ${name}: ${BENCHMARKS[name]} does not exist yet, skipped`);
    failed ||= asked !== "all";
    continue;
  }
  // Each benchmark in its own process: one's servers and state never touch the next.
  const proc = Bun.spawn(["bun", "--conditions=lucent-source", file, ...args], {
    stdio: ["inherit", "inherit", "inherit"],
  });
  if ((await proc.exited) !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
