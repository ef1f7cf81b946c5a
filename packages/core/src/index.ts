export type { MemoryBusOptions } from "./drivers/bus-memory.ts";
export { memoryBus } from "./drivers/bus-memory.ts";
export {
  createDatabase,
  openDatabase,
  pgliteDatabase,
  postgresDatabase,
  renderSql,
} from "./drivers/db-adapter.ts";
export type * from "./drivers/drivers.ts";
export { assertOneMailbox } from "./drivers/mail-address.ts";
export { consoleMail } from "./drivers/mail-console.ts";
export { memoryRateLimitStore } from "./drivers/rate-limit-memory.ts";
export { redisRateLimitStore } from "./drivers/rate-limit-redis.ts";
export { assertStorageKey, bodyStream, isStorageKey } from "./drivers/storage-keys.ts";
export type { LocalStorageOptions } from "./drivers/storage-local.ts";
export { localStorage } from "./drivers/storage-local.ts";
export { corsHeaders, isAllowedOrigin } from "./http/cors.ts";
export type {
  BodySchema,
  RouteContext,
  RouteDefinition,
  RouteMethod,
  RouteRequest,
  RouteResponse,
  SchemaOutput,
} from "./http/define-route.ts";
export { defineRoute, mountRoutes, sensitivePaths } from "./http/define-route.ts";
export * from "./http/errors.ts";
export { payloadTooLarge, readBodyBytes, readBodyText } from "./http/http-body-limit.ts";
export { clientIp, parseCookies } from "./http/http-request.ts";
export type { LucentPluginOptions } from "./http/lucent.ts";
export { lucent, lucentPlugin } from "./http/lucent.ts";
export type { RoutesOpenApiOptions } from "./http/route-openapi.ts";
export { routesOpenApi } from "./http/route-openapi.ts";
export { SECURITY_HEADERS } from "./http/security-headers.ts";
export type { UploadRoutesOpenApiOptions } from "./http/upload-openapi.ts";
export { uploadRoutesOpenApi } from "./http/upload-openapi.ts";
export type { SqliteJobsOptions } from "./jobs/jobs-sqlite.ts";
export { sqliteJobs } from "./jobs/jobs-sqlite.ts";
export type * from "./jobs/jobs-types.ts";
export type { GetLucentOptions } from "./kernel/get-lucent.ts";
export { getLucent } from "./kernel/get-lucent.ts";
export type * from "./kernel/kernel.ts";
export { defineModule } from "./kernel/kernel.ts";
export type { Kernel } from "./kernel/kernel-create.ts";
export { createKernel, kernelTypes } from "./kernel/kernel-create.ts";
export type * from "./kernel/kernel-events.ts";
export type * from "./kernel/local-api-types.ts";
export type { Logger, LoggerOptions } from "./kernel/logger.ts";
export { createLogger } from "./kernel/logger.ts";
export { bodySchema, fieldSchema, validateBody } from "./operations/body-schema.ts";
export { DEFAULT_LIMIT, MAX_LIMIT } from "./operations/operations-read.ts";
export { MAX_DEPTH } from "./operations/read-pipeline.ts";
export { requestOrigin } from "./operations/write-origin.ts";
export type * from "./query/access-types.ts";
export type { ReadableDocOptions } from "./query/field-read.ts";
export { readableDoc } from "./query/field-read.ts";
export { checkJsonInput, MAX_JSON_DEPTH, parseJsonInput } from "./query/json-input.ts";
export type { QueryField } from "./query/query-fields.ts";
export { queryFields, selectableFields, sortableFields } from "./query/query-fields.ts";
export type { ReadFilterOptions } from "./query/read-filter.ts";
export { readFilter } from "./query/read-filter.ts";
export { ordersTextByCodePoint } from "./query/text-match.ts";
export { WHERE_DESCRIPTION, whereConditionSchema } from "./query/where-json-schema.ts";
export type { MatchesWhereOptions, MatchOptions, MatchResult } from "./query/where-match.ts";
export { isDecidableInMemory, matchesWhere } from "./query/where-match.ts";
export type { WhereNode } from "./query/where-parse.ts";
export { MAX_CONDITIONS, MAX_IN_VALUES, MAX_PATHS, MAX_WHERE_DEPTH } from "./query/where-parse.ts";
export type { CollectionConfig, CollectionIndex } from "./schema/collection.ts";
export { defineCollection } from "./schema/collection.ts";
export type {
  ApiOptions,
  CorsOptions,
  DbOptions,
  LucentConfig,
  MigrationOptions,
  ResolvedLucentConfig,
} from "./schema/config.ts";
export {
  defineLucentConfig,
  extendedCollections,
  resolveConfig,
  resolveWithModules,
} from "./schema/config.ts";
export {
  defineFieldType,
  fieldTypeOf,
  fieldTypes,
  removeFieldType,
} from "./schema/field-types/registry.ts";
export type * from "./schema/field-types/types.ts";
export { STORED_FILE_SCHEMA } from "./schema/field-types/upload.ts";
export type * from "./schema/fields.ts";
export type { MigrateOptions, MigrateResult } from "./schema/migrate.ts";
export { migrate, planToSql } from "./schema/migrate.ts";
export type { MigrateConfigOptions } from "./schema/migrate-config.ts";
export { migrateConfig, tableSpecsOf } from "./schema/migrate-config.ts";
export type { DestructiveChange, MigrationPlan } from "./schema/migrate-plan.ts";
export type { ResolvedCollection, ResolvedField } from "./schema/schema.ts";
export type {
  LucentSiteConfig,
  PackageLoader,
  ShortForm,
  ShortFormKey,
  SiteDbOptions,
} from "./schema/site-config.ts";
export { expandSiteConfig, SHORT_FORM_MODULES } from "./schema/site-config.ts";
export type * from "./schema/table-spec.ts";
export { generateTypes, writeTypes } from "./schema/typegen.ts";
export type { ColumnKind } from "./schema/value-kinds.ts";
export {
  columnKind,
  fieldKind,
  fieldOperators,
  fieldSortable,
  isSortable,
  operatorsFor,
  SYSTEM_KINDS,
  WHERE_OPERATORS,
} from "./schema/value-kinds.ts";
