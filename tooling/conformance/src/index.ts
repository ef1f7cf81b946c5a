export { type EventBusSuiteOptions, eventBusSuite } from "./bus.ts";
export { jobsDriverSuite, waitFor } from "./jobs.ts";
export { type JobsCrashSuiteOptions, jobsCrashSuite, RERUN_WITHIN_MS } from "./jobs-crash.ts";
export {
  type DeliveredMail,
  type MailTransportSuiteOptions,
  mailTransportSuite,
} from "./mail-transport.ts";
export {
  FAIL_WITHIN_MS,
  type RateLimitStoreSuiteOptions,
  rateLimitStoreSuite,
  type StoreOutage,
} from "./rate-limit-store.ts";
export {
  chunkedStream,
  randomBytes,
  type StorageDriverSuiteOptions,
  storageDriverSuite,
  storageKey,
} from "./storage.ts";
export { startTcpProxy, type TcpProxy } from "./tcp-proxy.ts";
export { uniqueName } from "./unique-name.ts";
export {
  BIG,
  MANY,
  RSS_BOUND,
  sourceStream,
  type UploadScaleSuiteOptions,
  uploadScaleSuite,
} from "./uploads-scale.ts";
