/** `GET /api/health`: one entry per dependency, 503 when one is down. */
import { Elysia } from "elysia";
import type { Kernel } from "../kernel/kernel-create.ts";

const CHECK_TIMEOUT_MS = 3000;

function withTimeout(check: () => Promise<void>): Promise<"ok" | "down"> {
  return Promise.race([
    check().then(
      () => "ok" as const,
      () => "down" as const,
    ),
    Bun.sleep(CHECK_TIMEOUT_MS).then(() => "down" as const),
  ]);
}

export function healthRoutes(kernel: Kernel) {
  return new Elysia({ name: "@lucent/core/health" }).get("/health", async ({ set }) => {
    const entries = Object.entries(kernel.healthChecks());
    const results = await Promise.all(
      entries.map(async ([name, check]) => [name, await withTimeout(check)] as const),
    );
    const checks = Object.fromEntries(results);
    const down = results.some(([, r]) => r === "down");
    set.status = down ? 503 : 200;
    set.headers["cache-control"] = "no-store";
    return { status: down ? "down" : "ok", checks };
  });
}
