/** Builds the Local API object for a scope: REST's operations without HTTP. */
import type { Engine, Scope } from "./engine.ts";
import type { JobsApi } from "./jobs-types.ts";
import type { LocalApi, LocalApiCore } from "./local-api-types.ts";
import { count, find, findById } from "./operations-read.ts";
import { create, remove, update } from "./operations-write.ts";

export interface LocalApiParts {
  jobs: JobsApi;
  /** Module APIs by key (`secrets`, `auth`, …). */
  modules: Record<string, unknown>;
  close: () => Promise<void>;
}

export function createLocalApi(engine: Engine, scope: Scope, parts: LocalApiParts): LocalApi {
  const core = {
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
  } as LocalApiCore;
  return Object.assign(core, parts.modules) as LocalApi;
}
