import { rateLimitStoreSuite } from "@lucent/conformance";
import { memoryRateLimitStore } from "./rate-limit-memory.ts";

rateLimitStoreSuite("memory", { make: () => memoryRateLimitStore(), shared: false });
