export { jobsDriverSuite, waitFor } from "./jobs.ts";
export { type JobsCrashSuiteOptions, jobsCrashSuite, RERUN_WITHIN_MS } from "./jobs-crash.ts";
