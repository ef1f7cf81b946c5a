/** `getLucent(config)`: the Local API without HTTP, for scripts, seeds and tests. */
import type { LucentSiteConfig } from "../schema/site-config.ts";
import { createKernel } from "./kernel-create.ts";
import type { LocalApi } from "./local-api-types.ts";

export interface GetLucentOptions {
  /** Also run job workers and cron schedules in this process. @default false */
  workers?: boolean;
}

export async function getLucent(
  config: LucentSiteConfig,
  options: GetLucentOptions = {},
): Promise<LocalApi> {
  const kernel = await createKernel(config);
  if (options.workers) await kernel.start();
  return kernel.lucent as unknown as LocalApi;
}
