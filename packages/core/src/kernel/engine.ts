/** What the operations need from the running system, and the scope a write runs in. */

import type { DatabaseAdapter, StorageDriver } from "../drivers/drivers.ts";
import { NotFoundError } from "../http/errors.ts";
import type { UploadServices } from "../operations/upload-services.ts";
import type { CollectionHooks, WriteOrigin } from "../query/access-types.ts";
import type { Registry } from "../query/query-context.ts";
import type { ResolvedCollection } from "../schema/schema.ts";
import type { ChangeEvent } from "./kernel-events.ts";
import type { LocalApi } from "./local-api-types.ts";
import type { Logger } from "./logger.ts";

/**
 * A scope is the database handle an operation uses. Inside a write it is the
 * transaction, and `pending` collects the afterCommit work of every write in
 * it, run once the outermost transaction commits.
 */
export interface Scope {
  db: DatabaseAdapter;
  pending: Array<() => Promise<void>> | null;
  /** Inside a write: the outermost operation's caller and request, inherited by nested writes. */
  origin?: WriteOrigin;
}

export interface Engine {
  registry: Registry;
  db: DatabaseAdapter;
  logger: Logger;
  storage: StorageDriver;
  /** The REST prefix, for upload URLs. */
  prefix: string;
  /** URL signing, the sweeper of expired uploads, image sizes. */
  uploads: UploadServices;
  /** Deletes stored files, logging (not throwing) on failure. */
  storageDelete(keys: readonly string[]): Promise<void>;
  /** Publishes a committed change on the change feed (cache, realtime, webhooks). */
  emit(event: ChangeEvent): Promise<void>;
  /** A collection's hooks, the installed modules' included (collection-hooks.ts). */
  hooks(collection: ResolvedCollection): CollectionHooks;
  /** The Local API bound to a scope, handed to hooks. */
  localApi(scope: Scope): LocalApi;
}

export function getCollection(engine: Engine, slug: string): ResolvedCollection {
  const collection = engine.registry.collections.get(slug);
  if (!collection) throw new NotFoundError(`no collection "${slug}"`);
  return collection;
}
