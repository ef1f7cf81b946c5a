/**
 * The demo as a separate process (`src/server.ts`) on a given database, for
 * tests about several instances sharing one Postgres database.
 */
import { join } from "node:path";
import type { Subprocess } from "bun";

const demoDir = join(import.meta.dir, "..");

export interface DemoProcess {
  proc: Subprocess<"ignore", "pipe", "pipe">;
  port: number;
  /** `http://127.0.0.1:<port>` */
  origin: string;
}

export function spawnDemo(input: { url: string; port: number; dataDir: string }): DemoProcess {
  const proc = Bun.spawn(["bun", "--conditions=lucent-source", "src/server.ts"], {
    cwd: demoDir,
    env: {
      ...Bun.env,
      DATABASE_URL: input.url,
      PORT: String(input.port),
      LUCENT_DATA_DIR: input.dataDir,
      LOG_LEVEL: "warn",
      HOST: "127.0.0.1",
    },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  return { proc, port: input.port, origin: `http://127.0.0.1:${input.port}` };
}

/** Polls /api/health until it answers 200; fails with the process's output if it exits first. */
export async function waitHealthy(entry: DemoProcess): Promise<number> {
  for (;;) {
    if (entry.proc.exitCode !== null) {
      const err = await new Response(entry.proc.stderr).text();
      const out = await new Response(entry.proc.stdout).text();
      throw new Error(
        `the demo on port ${entry.port} exited with ${entry.proc.exitCode}:\n${out}\n${err}`,
      );
    }
    const status = await fetch(`${entry.origin}/api/health`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return status;
    await Bun.sleep(100);
  }
}

export async function stopDemo(entry: DemoProcess): Promise<void> {
  entry.proc.kill();
  await entry.proc.exited;
}
