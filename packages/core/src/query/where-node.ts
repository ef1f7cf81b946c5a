/** The parsed `where` tree: what the SQL compiler and the in-memory matcher both read. */
import type { ResolvedCollection } from "../schema/schema.ts";
import type { ColumnKind } from "../schema/value-kinds.ts";
import type { Operator } from "./access-types.ts";

export type WhereNode =
  | { kind: "and" | "or"; children: WhereNode[] }
  | { kind: "const"; value: boolean }
  | { kind: "cond"; column: string; type: ColumnKind; op: Operator; value: unknown }
  | {
      kind: "path";
      column: string;
      many: boolean;
      target: ResolvedCollection;
      inner: WhereNode;
    };

export const TRUE: WhereNode = { kind: "const", value: true };
export const FALSE: WhereNode = { kind: "const", value: false };

export function and(...nodes: WhereNode[]): WhereNode {
  const children = nodes.filter((n) => !(n.kind === "const" && n.value));
  if (children.some((n) => n.kind === "const" && !n.value)) return FALSE;
  if (children.length === 0) return TRUE;
  return children.length === 1 ? children[0]! : { kind: "and", children };
}
