export type * from "./access-types.ts";
export { bodySchema, fieldSchema, validateBody } from "./body-schema.ts";
export type { MemoryBusOptions } from "./bus-memory.ts";
export { memoryBus } from "./bus-memory.ts";
export type { CollectionConfig, CollectionIndex } from "./collection.ts";
export { defineCollection } from "./collection.ts";
export type {
  ApiOptions,
  CorsOptions,
  DbOptions,
  LucentConfig,
  MigrationOptions,
  ResolvedLucentConfig,
} from "./config.ts";
export {
  defineLucentConfig,
  extendedCollections,
  resolveConfig,
  resolveWithModules,
} from "./config.ts";
export { corsHeaders, isAllowedOrigin } from "./cors.ts";
export {
  createDatabase,
  openDatabase,
  pgliteDatabase,
  postgresDatabase,
  renderSql,
} from "./db-adapter.ts";
export type {
  BodySchema,
  RouteContext,
  RouteDefinition,
  RouteMethod,
  RouteRequest,
  RouteResponse,
  SchemaOutput,
} from "./define-route.ts";
export { defineRoute, mountRoutes, sensitivePaths } from "./define-route.ts";
export type * from "./drivers.ts";
export * from "./errors.ts";
export type { ReadableDocOptions } from "./field-read.ts";
export { readableDoc } from "./field-read.ts";
export {
  defineFieldType,
  fieldTypeOf,
  fieldTypes,
  removeFieldType,
} from "./field-types/registry.ts";
export type * from "./field-types/types.ts";
export { STORED_FILE_SCHEMA } from "./field-types/upload.ts";
export type * from "./fields.ts";
export type { GetLucentOptions } from "./get-lucent.ts";
export { getLucent } from "./get-lucent.ts";
export { payloadTooLarge, readBodyBytes, readBodyText } from "./http-body-limit.ts";
export { clientIp, parseCookies } from "./http-request.ts";
export type { SqliteJobsOptions } from "./jobs-sqlite.ts";
export { sqliteJobs } from "./jobs-sqlite.ts";
export type * from "./jobs-types.ts";
export { checkJsonInput, MAX_JSON_DEPTH, parseJsonInput } from "./json-input.ts";
export type * from "./kernel.ts";
export { defineModule } from "./kernel.ts";
export type { Kernel } from "./kernel-create.ts";
export { createKernel, kernelTypes } from "./kernel-create.ts";
export type * from "./local-api-types.ts";
export type { Logger, LoggerOptions } from "./logger.ts";
export { createLogger } from "./logger.ts";
export type { LucentPluginOptions } from "./lucent.ts";
export { lucent, lucentPlugin } from "./lucent.ts";
export { assertOneMailbox } from "./mail-address.ts";
export { consoleMail } from "./mail-console.ts";
export type { MigrateOptions, MigrateResult } from "./migrate.ts";
export { migrate, planToSql } from "./migrate.ts";
export type { MigrateConfigOptions } from "./migrate-config.ts";
export { migrateConfig, tableSpecsOf } from "./migrate-config.ts";
export type { DestructiveChange, MigrationPlan } from "./migrate-plan.ts";
export { DEFAULT_LIMIT, MAX_LIMIT } from "./operations-read.ts";
export type { QueryField } from "./query-fields.ts";
export { queryFields, selectableFields, sortableFields } from "./query-fields.ts";
export { memoryRateLimitStore } from "./rate-limit-memory.ts";
export { redisRateLimitStore } from "./rate-limit-redis.ts";
export type { ReadFilterOptions } from "./read-filter.ts";
export { readFilter } from "./read-filter.ts";
export { MAX_DEPTH } from "./read-pipeline.ts";
export type { RoutesOpenApiOptions } from "./route-openapi.ts";
export { routesOpenApi } from "./route-openapi.ts";
export type { ResolvedCollection, ResolvedField } from "./schema.ts";
export { SECURITY_HEADERS } from "./security-headers.ts";
export { localStorage } from "./storage-local.ts";
export type * from "./table-spec.ts";
export { ordersTextByCodePoint } from "./text-match.ts";
export { generateTypes, writeTypes } from "./typegen.ts";
export type { ColumnKind } from "./value-kinds.ts";
export {
  columnKind,
  fieldKind,
  fieldOperators,
  fieldSortable,
  isSortable,
  operatorsFor,
  SYSTEM_KINDS,
  WHERE_OPERATORS,
} from "./value-kinds.ts";
export { WHERE_DESCRIPTION, whereConditionSchema } from "./where-json-schema.ts";
export type { MatchesWhereOptions, MatchOptions, MatchResult } from "./where-match.ts";
export { isDecidableInMemory, matchesWhere } from "./where-match.ts";
export type { WhereNode } from "./where-parse.ts";
export { MAX_CONDITIONS, MAX_IN_VALUES, MAX_PATHS, MAX_WHERE_DEPTH } from "./where-parse.ts";
