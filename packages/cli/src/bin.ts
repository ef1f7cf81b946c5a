#!/usr/bin/env bun
import { run } from "./index.ts";

const result = await run(Bun.argv.slice(2));
if (result.stdout) console.log(result.stdout);
if (result.stderr) console.error(result.stderr);
process.exit(result.code);
