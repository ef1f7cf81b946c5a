/**
 * The demo with every access rule replaced by `true` (collections and
 * fields); everything else, auth included, as configured. bench/ runs it to
 * measure what the access rules cost: `bun run bench/run.ts crud --access open`.
 */
import type { CollectionConfig, FieldConfig } from "@lucent/core";
import { lucent } from "@lucent/core";
import { Elysia } from "elysia";
import { createConfig } from "../src/config.ts";

const allow = () => true;
const open = { read: allow, create: allow, update: allow, delete: allow };

function openFields(fields: Record<string, FieldConfig>): Record<string, FieldConfig> {
  return Object.fromEntries(
    Object.entries(fields).map(([name, f]) => [name, { ...f, access: {} }]),
  );
}

const config = createConfig();
const collections: CollectionConfig[] = config.collections.map((c) => ({
  ...c,
  access: open,
  fields: openFields(c.fields),
}));

const port = Number(Bun.env.PORT ?? 3000);
const app = new Elysia()
  .use(await lucent({ ...config, collections }))
  .listen({ port, hostname: Bun.env.HOST ?? "0.0.0.0" });

console.log(`Lucent demo (access open) on http://localhost:${app.server?.port}/api`);
