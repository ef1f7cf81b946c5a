/**
 * The setup phase: each module's `setup(ctx)` in dependency order, and what
 * the kernel assembles from the instances they return (caller resolvers,
 * collection hooks, Local API objects). A module object holds no state of
 * its own here, so one object may serve any number of kernels.
 */
import type { InstalledModule, KernelContext, LucentModule, ModuleInstance } from "./kernel.ts";

export interface ModuleSet {
  /** Modules in dependency order, each with its instance once set up. */
  readonly installed: readonly InstalledModule[];
  /** Module APIs by Local API key, filled as setups return. */
  readonly apis: ReadonlyMap<string, unknown>;
  /** Declared Local API keys and the module that owns each. */
  readonly apiKeys: ReadonlyMap<string, string>;
  find(name: string): InstalledModule | undefined;
  /** The instances so far, in module order. */
  instances(): ModuleInstance[];
  /** Runs every setup, in order; a module sees those it depends on already set up. */
  setUp(ctx: KernelContext): Promise<void>;
}

/** Two modules claiming one `lucent[key]` would shadow each other: refuse at startup. */
function declaredKeys(modules: readonly LucentModule[]): Map<string, string> {
  const keys = new Map<string, string>();
  for (const m of modules) {
    if (m.apiKey === undefined) continue;
    const owner = keys.get(m.apiKey);
    if (owner)
      throw new Error(
        `modules ${owner} and ${m.name} both declare the Local API key "${m.apiKey}"`,
      );
    keys.set(m.apiKey, m.name);
  }
  return keys;
}

export function createModuleSet(modules: readonly LucentModule[]): ModuleSet {
  const apiKeys = declaredKeys(modules);
  const apis = new Map<string, unknown>();
  const installed: Array<{ module: LucentModule; instance: ModuleInstance | undefined }> =
    modules.map((module) => ({ module, instance: undefined }));
  return {
    installed,
    apis,
    apiKeys,
    find: (name) => installed.find((m) => m.module.name === name),
    instances: () => installed.flatMap((m) => (m.instance ? [m.instance] : [])),
    async setUp(ctx) {
      for (const entry of installed) {
        const { module } = entry;
        const instance: ModuleInstance = (await module.setup?.(ctx)) ?? {};
        if (instance.api !== undefined && module.apiKey === undefined)
          throw new Error(
            `${module.name}: setup returned an api but the module declares no apiKey`,
          );
        if (module.apiKey !== undefined) {
          if (instance.api === undefined)
            throw new Error(
              `${module.name}: declares the apiKey "${module.apiKey}" but its setup returned no api`,
            );
          apis.set(module.apiKey, instance.api);
        }
        entry.instance = instance;
      }
    },
  };
}
