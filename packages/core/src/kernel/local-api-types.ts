/** The Local API: the same operations as REST, for server code and hooks. */

import type { DatabaseAdapter } from "../drivers/drivers.ts";
import type { JobsApi } from "../jobs/jobs-types.ts";
import type { Doc, LucentUser, Where } from "../query/access-types.ts";
import type { Logger } from "./logger.ts";

/**
 * Generated types augment this interface (`lucent-types.ts`), which types
 * the Local API per collection: `{ posts: { doc: Post; data: PostData } }`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: augmented by generated types
export interface LucentCollections {}

export type CollectionSlug = [keyof LucentCollections] extends [never]
  ? string
  : Extract<keyof LucentCollections, string>;

export type DocOf<S> = S extends keyof LucentCollections
  ? LucentCollections[S] extends { doc: infer D }
    ? D
    : Doc
  : Doc;

export type DataOf<S> = S extends keyof LucentCollections
  ? LucentCollections[S] extends { data: infer D }
    ? D
    : Record<string, unknown>
  : Record<string, unknown>;

export type WhereOf<S> = S extends keyof LucentCollections
  ? LucentCollections[S] extends { where: infer W }
    ? W
    : Where
  : Where;

/** Who the operation runs as. Without `user` or `overrideAccess`, access applies as anonymous. */
export interface CallerOptions {
  user?: LucentUser | null;
  /** Skip access rules. Must be written out: the Local API is deny-by-default. */
  overrideAccess?: boolean;
  /** The HTTP request this call serves, given to access rules and hooks. */
  req?: Request | null;
}

export interface FindArgs<S extends string = CollectionSlug> extends CallerOptions {
  collection: S;
  where?: WhereOf<S>;
  /** `"-createdAt,title"` or `["-createdAt", "title"]`. @default "-createdAt" */
  sort?: string | readonly string[];
  /** @default 1 */
  page?: number;
  /** @default 10, at most 100 */
  limit?: number;
  /** @default 0, at most 2 */
  depth?: number;
  select?: readonly string[];
}

export interface FindByIdArgs<S extends string = CollectionSlug> extends CallerOptions {
  collection: S;
  id: string;
  depth?: number;
  select?: readonly string[];
}

export interface CreateArgs<S extends string = CollectionSlug> extends CallerOptions {
  collection: S;
  data: DataOf<S>;
  depth?: number;
  /** Files for upload fields, by field name. */
  files?: Record<string, File>;
}

export interface UpdateArgs<S extends string = CollectionSlug> extends CallerOptions {
  collection: S;
  id: string;
  data: Partial<DataOf<S>>;
  depth?: number;
  files?: Record<string, File>;
}

export interface DeleteArgs<S extends string = CollectionSlug> extends CallerOptions {
  collection: S;
  id: string;
}

export interface CountArgs<S extends string = CollectionSlug> extends CallerOptions {
  collection: S;
  where?: WhereOf<S>;
}

export interface PaginatedDocs<T = Doc> {
  docs: T[];
  totalDocs: number;
  page: number;
  limit: number;
  totalPages: number;
  hasNextPage: boolean;
  hasPrevPage: boolean;
}

/**
 * Modules add their Local API objects here by declaration merging, e.g.
 * `declare module "@lucent/core" { interface LucentModuleApis { secrets: SecretsApi } }`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: augmented by modules
export interface LucentModuleApis {}

export interface LocalApiCore {
  find<S extends CollectionSlug>(args: FindArgs<S>): Promise<PaginatedDocs<DocOf<S>>>;
  findById<S extends CollectionSlug>(args: FindByIdArgs<S>): Promise<DocOf<S>>;
  create<S extends CollectionSlug>(args: CreateArgs<S>): Promise<DocOf<S>>;
  update<S extends CollectionSlug>(args: UpdateArgs<S>): Promise<DocOf<S>>;
  delete<S extends CollectionSlug>(args: DeleteArgs<S>): Promise<DocOf<S>>;
  count<S extends CollectionSlug>(args: CountArgs<S>): Promise<{ totalDocs: number }>;
  /** The job queue, whichever driver is installed. */
  jobs: JobsApi;
  /** The database adapter (raw SQL through drizzle `sql` templates). */
  db: DatabaseAdapter;
  logger: Logger;
  /** Closes every connection and stops workers. */
  close(): Promise<void>;
}

export type LocalApi = LocalApiCore & Partial<LucentModuleApis>;

/**
 * The Local API with collections named by any string: what modules and core
 * itself use, since their slugs come from configuration at run time.
 */
export interface UntypedLocalApi {
  find(args: FindArgs<string>): Promise<PaginatedDocs<Doc>>;
  findById(args: FindByIdArgs<string>): Promise<Doc>;
  create(args: CreateArgs<string>): Promise<Doc>;
  update(args: UpdateArgs<string>): Promise<Doc>;
  delete(args: DeleteArgs<string>): Promise<Doc>;
  count(args: CountArgs<string>): Promise<{ totalDocs: number }>;
  jobs: JobsApi;
  db: DatabaseAdapter;
  logger: Logger;
  close(): Promise<void>;
}
