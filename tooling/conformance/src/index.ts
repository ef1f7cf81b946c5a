export { jobsDriverSuite, waitFor } from "./jobs.ts";
