/**
 * Endpoints declared in config are rows too, with an id derived from their
 * name: their deliveries, failures and enabled flag survive restarts, and
 * they are listed beside the others. Each start writes their URL and
 * filters from the config; enabled and failures are the running system's.
 */
import { ConfigError } from "@lucent/core";
import { sql } from "drizzle-orm";
import { filterProblems } from "./event-filter.ts";
import type { Runtime } from "./runtime.ts";
import { configSealed } from "./secret-keeper.ts";
import { signingSecretProblem } from "./signing-secret.ts";
import { col, jsonb, NOW_MS, table } from "./sql-rows.ts";
import { checkEndpointUrl } from "./target.ts";

/** A UUID (v8 layout) from the endpoint's name: the same on every instance and start. */
export function configEndpointId(name: string): string {
  const hex = new Bun.CryptoHasher("sha256").update(`@lucent/webhooks:${name}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((Number.parseInt(hex[16]!, 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function checkConfigEndpoints(rt: Runtime): void {
  const problems: string[] = [];
  const seen = new Set<string>();
  rt.options.endpoints.forEach((endpoint, i) => {
    const at = `@lucent/webhooks endpoints[${i}]`;
    if (seen.has(endpoint.name)) problems.push(`${at}.name: "${endpoint.name}" is used twice`);
    seen.add(endpoint.name);
    try {
      checkEndpointUrl(endpoint.url, rt.policy);
    } catch (error) {
      problems.push(`${at}.url: ${(error as Error).message}`);
    }
    for (const p of filterProblems(endpoint.events, rt.eventCollections))
      problems.push(`${at}.${p.path}: ${p.message}`);
    const secret = signingSecretProblem(endpoint.secret);
    if (secret) problems.push(`${at}.secret: ${secret}`);
  });
  if (problems.length) throw new ConfigError(problems);
}

export async function upsertConfigEndpoints(rt: Runtime): Promise<void> {
  const e = rt.endpoints;
  for (const endpoint of rt.options.endpoints) {
    const id = configEndpointId(endpoint.name);
    await rt.ctx.db.execute(
      sql`insert into ${table(e)} (id, created_at, updated_at, ${col(e, "url")}, ${col(e, "events")},
            ${col(e, "enabled")}, ${col(e, "source")}, ${col(e, "name")}, ${col(e, "secret")}, ${col(e, "failures")})
          values (${id}::uuid, ${NOW_MS}, ${NOW_MS}, ${endpoint.url}, ${jsonb(endpoint.events)},
            true, 'config', ${endpoint.name}, ${configSealed(endpoint.name)}, 0)
          on conflict (id) do update set ${col(e, "url")} = excluded.${col(e, "url")},
            ${col(e, "events")} = excluded.${col(e, "events")}, ${col(e, "secret")} = excluded.${col(e, "secret")}`,
    );
  }
}
