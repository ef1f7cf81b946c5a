/** Module order: each module after the ones it depends on, declaration order otherwise. */
import type { LucentModule } from "./kernel.ts";

/** Orders modules so each comes after what it depends on (stable otherwise). */
export function orderModules(modules: readonly LucentModule[]): LucentModule[] {
  const byName = new Map(modules.map((m) => [m.name, m]));
  const out: LucentModule[] = [];
  const seen = new Set<string>();
  const visit = (m: LucentModule, trail: string[]) => {
    if (seen.has(m.name)) return;
    if (trail.includes(m.name))
      throw new Error(
        `modules depend on each other in a cycle: ${[...trail, m.name].join(" -> ")}`,
      );
    for (const dep of m.dependsOn ?? []) {
      const d = byName.get(dep);
      if (d) visit(d, [...trail, m.name]);
    }
    seen.add(m.name);
    out.push(m);
  };
  for (const m of modules) visit(m, []);
  return out;
}
