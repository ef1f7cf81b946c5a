/** The two servers under test, each in its own child process on 127.0.0.1. */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import type { Side } from "./options.ts";

export const REPO_ROOT = join(import.meta.dir, "..");
export const HOST = "127.0.0.1";

export interface RunningServer {
  side: Side;
  baseUrl: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  databaseUrl: string;
  /** Where child logs, and the demo's `.lucent` data, go. */
  workDir: string;
  logLevel: string;
  pool: number;
  /** `open` runs the demo with every access rule replaced by true. */
  access: "rules" | "open";
}

/** A port free right now on 127.0.0.1. */
function freePort(): number {
  const probe = Bun.listen({ hostname: HOST, port: 0, socket: { data() {} } });
  const port = probe.port;
  probe.stop(true);
  return port;
}

const secret = () => randomBytes(32).toString("base64url");

/** The command and environment of each side; the Lucent side is the demo as it stands. */
function command(
  side: Side,
  port: number,
  options: StartOptions,
): { cmd: string[]; env: Record<string, string> } {
  if (side === "baseline") {
    const script = join(REPO_ROOT, "bench/baseline-server.ts");
    const args = ["--database-url", options.databaseUrl, "--port", String(port), "--host", HOST];
    return { cmd: ["bun", script, ...args, "--pool", String(options.pool)], env: {} };
  }
  return {
    cmd: [
      "bun",
      "--conditions=lucent-source",
      join(
        REPO_ROOT,
        options.access === "open"
          ? "apps/demo/scripts/open-access-server.ts"
          : "apps/demo/src/server.ts",
      ),
    ],
    env: {
      PORT: String(port),
      HOST,
      DATABASE_URL: options.databaseUrl,
      NODE_ENV: "production",
      LOG_LEVEL: options.logLevel,
      LUCENT_DATA_DIR: join(options.workDir, "lucent-data"),
      // Production refuses to start without these once the modules that need them are installed.
      JWT_SECRET: secret(),
      SESSION_SECRET: secret(),
      LUCENT_SECRETS_KEY: secret(),
      // One client sends everything from one IP: keep the per-IP limit out of the way.
      RATE_LIMIT_API: "1000000000",
      RATE_LIMIT_AUTH: "1000000000",
    },
  };
}

function tail(files: readonly string[]): string {
  return files
    .map((f) => {
      try {
        return readFileSync(f, "utf8").split("\n").slice(-20).join("\n");
      } catch {
        return "";
      }
    })
    .join("\n");
}

async function waitReady(
  proc: Subprocess,
  baseUrl: string,
  logFiles: readonly string[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) break;
    try {
      const res = await fetch(`${baseUrl}/api/posts?limit=1`, {
        signal: AbortSignal.timeout(1000),
      });
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await Bun.sleep(100);
  }
  proc.kill("SIGKILL");
  throw new Error(
    `${baseUrl} did not become ready (exit ${proc.exitCode}); last log lines:\n${tail(logFiles)}`,
  );
}

export async function startServer(side: Side, options: StartOptions): Promise<RunningServer> {
  const port = freePort();
  const { cmd, env } = command(side, port, options);
  const logFile = join(options.workDir, `${side}.log`);
  const proc = Bun.spawn(cmd, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdout: Bun.file(logFile),
    stderr: Bun.file(`${logFile}.err`),
  });
  const baseUrl = `http://${HOST}:${port}`;
  await waitReady(proc, baseUrl, [logFile, `${logFile}.err`], 60_000);
  return {
    side,
    baseUrl,
    async stop() {
      if (proc.exitCode !== null) return;
      proc.kill("SIGTERM");
      const exited = await Promise.race([
        proc.exited.then(() => true),
        Bun.sleep(10_000).then(() => false),
      ]);
      if (!exited) proc.kill("SIGKILL");
    },
  };
}
