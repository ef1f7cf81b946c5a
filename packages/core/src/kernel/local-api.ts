/** Builds the Local API object for a scope: REST's operations without HTTP. */

import type { JobsApi } from "../jobs/jobs-types.ts";
import { count, find, findById } from "../operations/operations-read.ts";
import { create, remove, update } from "../operations/operations-write.ts";
import type { Engine, Scope } from "./engine.ts";
import type { LocalApi, LocalApiCore } from "./local-api-types.ts";

export interface LocalApiParts {
  jobs: JobsApi;
  /**
   * Module APIs (`lucent.secrets`, `lucent.auth`, …), one getter per key a
   * module declared: the Local API is built before the modules' setups
   * return, and every scope's Local API shares this one object as prototype.
   */
  modules: object;
  close: () => Promise<void>;
}

/**
 * The prototype that carries module APIs: a getter per declared key reads
 * the module's API from `apis`, and names the mistake when it is not there yet.
 */
export function moduleApiPrototype(
  keys: ReadonlyMap<string, string>,
  apis: ReadonlyMap<string, unknown>,
): object {
  const proto = {};
  for (const [key, moduleName] of keys) {
    Object.defineProperty(proto, key, {
      enumerable: true,
      get() {
        if (!apis.has(key))
          throw new Error(
            `lucent.${key} is used before ${moduleName} was set up; list "${moduleName}" in the using module's dependsOn`,
          );
        return apis.get(key);
      },
    });
  }
  return proto;
}

export function createLocalApi(engine: Engine, scope: Scope, parts: LocalApiParts): LocalApi {
  return Object.assign(
    Object.create(parts.modules) as object,
    {
      find: (args) => find(engine, scope, args),
      findById: (args) => findById(engine, scope, args),
      create: (args) => create(engine, scope, args),
      update: (args) => update(engine, scope, args),
      delete: (args) => remove(engine, scope, args),
      count: (args) => count(engine, scope, args),
      jobs: parts.jobs,
      db: scope.db,
      logger: engine.logger,
      close: parts.close,
    } as LocalApiCore,
  ) as LocalApi;
}
