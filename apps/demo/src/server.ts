import { lucent } from "@lucent/core";
import { Elysia } from "elysia";
import { config } from "./config.ts";

const port = Number(Bun.env.PORT ?? 3000);
const app = new Elysia()
  .use(await lucent(config))
  .listen({ port, hostname: Bun.env.HOST ?? "0.0.0.0" });

console.log(`Lucent demo on http://localhost:${app.server?.port}/api (health: /api/health)`);
