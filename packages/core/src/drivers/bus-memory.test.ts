import { eventBusSuite } from "@lucent/conformance";
import { memoryBus } from "./bus-memory.ts";

eventBusSuite("memory", { make: () => memoryBus(), shared: false });
