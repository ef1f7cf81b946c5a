import { afterAll } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { storageDriverSuite } from "@lucent/conformance";
import { localStorage } from "./storage-local.ts";

const dir = mkdtempSync(join(tmpdir(), "lucent-storage-local-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

storageDriverSuite("local", {
  make: () => localStorage({ dir }),
  capabilities: { presign: false, multipart: false },
});
