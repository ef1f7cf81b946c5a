/**
 * Core's layout: code lives in folders by concern, and no value import runs
 * in a loop (a loop makes load order decide what is initialised; the
 * access ↔ where-parse one was broken by passing the related access in).
 */
import { expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";

const SRC = import.meta.dir;
const FOLDERS = ["drivers", "http", "jobs", "kernel", "operations", "query", "schema"];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".test.ts"))
    .map((e) => join(e.parentPath, e.name));
}

/** Value imports and re-exports of one file (type-only ones cannot form a load-order loop). */
function valueImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const out: string[] = [];
  const statement = /^(?:import|export)(\s+type)?\b[^;]*?\bfrom\s+"(\.[^"]+)"/gms;
  for (const match of text.matchAll(statement)) {
    if (match[1] || !match[2]) continue;
    out.push(normalize(join(dirname(file), match[2])));
  }
  return out;
}

/** Strongly connected components of more than one file (Tarjan). */
function loops(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(relative(SRC, w));
    } while (w !== v);
    if (component.length > 1) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

test("no value import in core runs in a loop", () => {
  const files = sources(SRC);
  expect(files.length).toBeGreaterThan(50);
  const graph = new Map(files.map((f) => [f, valueImports(f)]));
  expect(loops(graph)).toEqual([]);
});

test("src holds only the index beside the folders", () => {
  const entries = readdirSync(SRC, { withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => e.name);
  const folders = entries.filter((e) => e.isDirectory()).map((e) => e.name);
  expect(files.filter((f) => !f.endsWith(".test.ts"))).toEqual(["index.ts"]);
  expect(folders.sort()).toEqual(FOLDERS);
});
