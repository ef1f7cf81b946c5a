/** Demo app instances as separate processes on one database, for the cross-instance tests and the bench. */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@lucent/test-utils";
import type { Subprocess } from "bun";

const demoDir = join(import.meta.dir, "..", "..", "..", "apps", "demo");

export interface Instance {
  proc: Subprocess<"ignore", "pipe", "pipe">;
  base: string;
  ws: string;
}

export async function startInstances(input: {
  count: number;
  databaseUrl: string;
  redisUrl?: string;
}): Promise<Instance[]> {
  const instances: Instance[] = [];
  for (let i = 0; i < input.count; i++) {
    const port = freePort();
    const env: Record<string, string | undefined> = {
      ...Bun.env,
      DATABASE_URL: input.databaseUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      LUCENT_DATA_DIR: await mkdtemp(join(tmpdir(), "lucent-rt-instance-")),
      LOG_LEVEL: "warn",
      JWT_SECRET: "instances-jwt-secret-0123456789abcdef0123456789",
      SESSION_SECRET: "instances-session-secret-0123456789abcdef0123",
      RATE_LIMIT_API: "100000",
      RATE_LIMIT_AUTH: "100000",
      RATE_LIMIT_PREFIX: `rt-test-${port}:`,
    };
    if (input.redisUrl) env.REDIS_URL = input.redisUrl;
    else delete env.REDIS_URL;
    const proc = Bun.spawn(["bun", "--conditions=lucent-source", "src/server.ts"], {
      cwd: demoDir,
      env,
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    instances.push({ proc, base: `http://127.0.0.1:${port}`, ws: `ws://127.0.0.1:${port}/ws` });
  }
  await Promise.all(instances.map(waitHealthy));
  return instances;
}

async function waitHealthy(instance: Instance): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (instance.proc.exitCode !== null || Date.now() > deadline) {
      const err = await new Response(instance.proc.stderr).text();
      throw new Error(`instance ${instance.base} did not start:\n${err}`);
    }
    const status = await fetch(`${instance.base}/api/health`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    await Bun.sleep(100);
  }
}

export async function stopInstances(instances: readonly Instance[]): Promise<void> {
  for (const i of instances) i.proc.kill();
  await Promise.all(instances.map((i) => i.proc.exited));
}
