/**
 * Publishes every public package whose version is not on the registry yet.
 * `bun publish` (not `changeset publish`) so `workspace:` ranges become the
 * versions being released. Run after `changeset version` and a build.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "../..");
const dryRun = Bun.argv.includes("--dry-run");

for (const dir of readdirSync(join(root, "packages"))) {
  const cwd = join(root, "packages", dir);
  const pkg = (await Bun.file(join(cwd, "package.json")).json()) as {
    name: string;
    version: string;
    private?: boolean;
  };
  if (pkg.private) continue;
  const view = Bun.spawnSync(["npm", "view", `${pkg.name}@${pkg.version}`, "version"], { cwd });
  if (view.stdout.toString().trim() === pkg.version) {
    console.log(`${pkg.name}@${pkg.version} is already published`);
    continue;
  }
  console.log(`publishing ${pkg.name}@${pkg.version}`);
  const publish = Bun.spawnSync(
    ["bun", "publish", "--access", "public", ...(dryRun ? ["--dry-run"] : [])],
    {
      cwd,
      stdout: "inherit",
      stderr: "inherit",
    },
  );
  if (publish.exitCode !== 0) process.exit(publish.exitCode ?? 1);
}
