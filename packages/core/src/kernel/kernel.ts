/**
 * The kernel interface: the one contract through which every Lucent package
 * plugs into core. A module is a plain object that `satisfies LucentModule`,
 * returned by a lower-camelCase factory (`auth(options)`).
 */
import type { AnyElysia } from "elysia";
import type { ZodType } from "zod";
import type {
  DatabaseAdapter,
  EventBus,
  MailTransport,
  RateLimitStore,
  StorageDriver,
} from "../drivers/drivers.ts";
import type { JobContext, JobDefinition, JobsApi, JobsDriver } from "../jobs/jobs-types.ts";
import type { CollectionHooks, LucentUser } from "../query/access-types.ts";
import type { CollectionConfig } from "../schema/collection.ts";
import type { ResolvedLucentConfig } from "../schema/config.ts";
import type { ResolvedCollection } from "../schema/schema.ts";
import type { TableSpec } from "../schema/table-spec.ts";
import type { ChangeFeed, EventHub } from "./kernel-events.ts";
import type { UntypedLocalApi } from "./local-api-types.ts";
import type { Logger } from "./logger.ts";

/** What the kernel gives a module's `setup`: the running system, before any request is served. */
export interface KernelContext {
  /** The validated configuration. */
  readonly config: ResolvedLucentConfig;
  /** Collections by slug, after every module's `extendCollections`. */
  readonly collections: ReadonlyMap<string, ResolvedCollection>;
  readonly db: DatabaseAdapter;
  readonly logger: Logger;
  /**
   * The Local API (deny-by-default), with collections named by string. A
   * module's API (`lucent.secrets`) is there once that module's setup returned;
   * a module that uses another's in its own setup lists it in `dependsOn`.
   */
  readonly lucent: UntypedLocalApi;
  readonly jobs: JobsApi;
  readonly storage: StorageDriver;
  readonly bus: EventBus;
  readonly mail: MailTransport;
  readonly rateLimitStore: RateLimitStore;
  /** Committed writes, from this instance and (through the bus) the others. */
  readonly changes: ChangeFeed;
  /** Events between modules on this instance (sign-ins for the audit log, ...); see event-hub.ts. */
  readonly events: EventHub;
  /** `production` when NODE_ENV=production. */
  readonly production: boolean;
  /** The folder for embedded state (`.lucent` by default). */
  readonly dataDir: string;
  /** The REST prefix, e.g. `/api`. */
  readonly prefix: string;
  /**
   * A secret from the environment (`JWT_SECRET`, ...). In development a
   * missing one is generated once, persisted under `dataDir`, and announced;
   * in production it is a startup error. Values shorter than `minBytes` are refused in production.
   */
  secret(name: string, options?: { minBytes?: number }): Promise<string>;
  /**
   * Another installed module, by npm name, with what its setup returned
   * (`instance` is undefined until then: modules set up in dependency order).
   */
  getModule(name: string): InstalledModule | undefined;
  /**
   * Who is calling: the installed modules' `resolveUser`s in module order, the
   * first user wins; null for an anonymous caller. Resolved once per request
   * and shared by everyone who asks (core's routes, modules' routes, the app's).
   */
  resolveCaller(request: Request): Promise<LucentUser | null>;
}

/** Replacement drivers a module provides; core's embedded defaults stand in otherwise. */
export interface ModuleDrivers {
  jobs?: (ctx: DriverContext) => JobsDriver;
  storage?: (ctx: DriverContext) => StorageDriver;
  bus?: (ctx: DriverContext) => EventBus;
  mail?: (ctx: DriverContext) => MailTransport;
  rateLimitStore?: (ctx: DriverContext) => RateLimitStore;
}

/** What a driver factory gets: drivers are created before the rest of the kernel. */
export interface DriverContext {
  /** The validated configuration (a driver may need the database URL, say). */
  readonly config: ResolvedLucentConfig;
  readonly logger: Logger;
  readonly dataDir: string;
  readonly production: boolean;
  readonly db: DatabaseAdapter;
}

/** Input to a user resolver: the request and its parsed cookies. */
export interface ResolveUserInput {
  request: Request;
  cookies: Record<string, string>;
}

/** A fragment of an OpenAPI 3.1 document, merged into the whole. */
export interface OpenApiFragment {
  /** Paths below the API prefix, as the module's routes are mounted (`/auth/login`). */
  paths?: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
  tags?: Array<{ name: string; description?: string }>;
}

/** A module's job handlers get the run, the Local API, and the kernel they run in. */
export interface ModuleJobContext extends JobContext {
  kernel: KernelContext;
}

export type ModuleJobDefinitions = Record<string, JobDefinition<never, ModuleJobContext>>;

/**
 * A module, in two phases. The object itself is a static declaration, read
 * before any database is opened: it may serve any number of kernels in one
 * process. `setup(ctx)` runs once per kernel and returns that kernel's
 * instance of the module (its API, routes, caller resolver, hooks, ...).
 */
export interface LucentModule<TKey extends string = string, TApi = unknown> {
  /** The npm package name; also the Elysia plugin name, so a module applies once. */
  name: string;
  /** Other modules (npm names) that must be installed, and set up, first. */
  dependsOn?: readonly string[];
  /** The module's options schema; the kernel reports problems with the rest of the config. */
  optionsSchema?: ZodType;
  /** The options as given to the factory, checked against `optionsSchema` at startup. */
  options?: unknown;
  /** Changes collections before they are resolved (e.g. auth adds `email` and `password`). */
  extendCollections?: (collections: readonly CollectionConfig[]) => CollectionConfig[];
  /** Tables the migrator creates for the module. */
  tables?: readonly TableSpec[];
  /** Drivers this module provides; two modules providing the same kind is a startup error. */
  drivers?: ModuleDrivers;
  /** Job handlers the module runs (e.g. sending mail); names should carry the module's prefix. */
  jobs?: ModuleJobDefinitions;
  /** Where the instance's `api` appears on the Local API: `lucent[apiKey]`. */
  apiKey?: TKey;
  /**
   * Called once per kernel, in dependency order, after migrations and before
   * any route is mounted; returns this kernel's instance of the module.
   */
  setup?: (
    ctx: KernelContext,
    // biome-ignore lint/suspicious/noConfusingVoidType: a setup with nothing to contribute need not return
  ) => ModuleInstance<TApi> | void | Promise<ModuleInstance<TApi> | void>;
}

/** What a module's `setup` returns: its part of one running kernel. */
export interface ModuleInstance<TApi = unknown> {
  /** The Local API object, exposed as `lucent[apiKey]`. */
  api?: TApi;
  /** HTTP routes, mounted under the API prefix. */
  routes?: AnyElysia;
  /**
   * Route paths (below the prefix) that get the tighter "sensitive" rate limit,
   * as declared (`/auth/oauth/:provider`) or with parameters filled in
   * (`/auth/oauth/github`). They are matched against the route the router
   * chose, so no spelling of the URL escapes them.
   */
  sensitiveRoutes?: readonly string[];
  /** Resolves the caller; resolvers run in module order, the first non-null result wins. */
  resolveUser?: (input: ResolveUserInput) => Promise<LucentUser | null | undefined>;
  /**
   * Hooks on collections, by slug. `beforeValidate` hooks run before the
   * collection's own (they see the body as the client sent it); every other
   * kind runs after the collection's own (it sees what they made of it).
   */
  hooks?: Readonly<Record<string, CollectionHooks>>;
  /** The module's part of the OpenAPI document. */
  openapi?: () => OpenApiFragment;
  /** Extra TypeScript for `lucent-types.ts`. */
  typegen?: () => string;
  /** Named health checks added to `/api/health`. */
  health?: Readonly<Record<string, () => Promise<void>>>;
  /** Starts background work (after routes are mounted and job workers started). */
  start?: () => void | Promise<void>;
  /** Stops background work and closes clients; runs in reverse module order. */
  stop?: () => void | Promise<void>;
}

/** An installed module and, once its setup ran, this kernel's instance of it. */
export interface InstalledModule {
  readonly module: LucentModule;
  readonly instance: ModuleInstance | undefined;
}

/**
 * The options of a module's top-level key in a config (CONTRACT §1's short
 * form: `auth: { strategies }`). A package types its key by merging:
 * `declare module "@lucent/core" { interface ShortFormOptions { auth: AuthOptions } }`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: augmented by modules
export interface ShortFormOptions {}

/** Declares a module factory's return value with its inferred key and API. */
export function defineModule<TKey extends string, TApi>(
  module: LucentModule<TKey, TApi>,
): LucentModule<TKey, TApi> {
  return module;
}
