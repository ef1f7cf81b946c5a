/**
 * The OpenAPI part of routes made with `defineRoute`, read off the same
 * definitions that serve them. zod schemas become JSON Schema with
 * `z.toJSONSchema`; the parts it puts under a local `$defs` (recursive or
 * self-referencing schemas) move into `components.schemas`, because inside an
 * OpenAPI document `#` is the document itself. Error responses carry the
 * contract's envelope, the `Error` schema every Lucent document defines.
 */
import { type ZodType, z } from "zod";
import type { OpenApiFragment } from "../kernel/kernel.ts";
import { isZod, type JsonSchema, type RouteDefinition } from "./define-route.ts";

export interface RoutesOpenApiOptions {
  /** Tags of the routes that name none. @default none */
  tags?: readonly string[];
  /**
   * What `secured` routes list under `security`: one requirement per way of
   * signing in that the app accepts (`[{ bearerAuth: [] }, { apiKey: [] }]`).
   * @default none listed
   */
  security?: ReadonlyArray<Record<string, readonly string[]>>;
}

const json = (schema: JsonSchema) => ({ "application/json": { schema } });
const errorResponse = (description: string) => ({
  description,
  content: json({ $ref: "#/components/schemas/Error" }),
});

const pascal = (text: string) =>
  text
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join("");

/** Deep copy of `value` with every `$ref` passed through `map`. */
function replaceRefs<T>(value: T, map: (ref: string) => string): T {
  if (Array.isArray(value)) return value.map((v) => replaceRefs(v, map)) as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = k === "$ref" && typeof v === "string" ? map(v) : replaceRefs(v, map);
    }
    return out as T;
  }
  return value;
}

/**
 * `schema` as JSON Schema; hoisted parts go into `components` named after
 * `owner` (`LoginBody`, `LoginBodySchema0`). Bodies describe what may be
 * sent (`io: "input"`), responses what comes back (`io: "output"`).
 */
function toJsonSchema(
  schema: ZodType | JsonSchema,
  io: "input" | "output",
  owner: string,
  components: Record<string, JsonSchema>,
): JsonSchema {
  if (!isZod(schema)) return schema;
  const raw = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    // Refinements and transforms have no JSON Schema form; the base type still describes the value.
    unrepresentable: "any",
  }) as JsonSchema;
  delete raw.$schema;
  const defs = (raw.$defs ?? {}) as Record<string, JsonSchema>;
  delete raw.$defs;
  const nameOf = (local: string) => `${owner}${pascal(local)}`;
  const rewrite = (ref: string) => {
    if (ref === "#") return `#/components/schemas/${owner}`;
    return ref.startsWith("#/$defs/") ? `#/components/schemas/${nameOf(ref.slice(8))}` : ref;
  };
  for (const [local, def] of Object.entries(defs)) {
    components[nameOf(local)] = replaceRefs(def, rewrite);
  }
  const converted = replaceRefs(raw, rewrite);
  if (!JSON.stringify(raw).includes('"$ref":"#"')) return converted;
  // The schema refers to itself (a bare `z.json()`): it becomes a component of its own.
  components[owner] = converted;
  return { $ref: `#/components/schemas/${owner}` };
}

/** Whether a client may leave the body out: a route that reads none as `{}` and accepts `{}`. */
function bodyRequired(schema: ZodType | JsonSchema): boolean {
  if (!isZod(schema)) return Array.isArray(schema.required) && schema.required.length > 0;
  try {
    return !schema.safeParse({}).success;
  } catch {
    return true; // async checks: assume the body is needed
  }
}

function parameters(schema: JsonSchema, where: "path" | "query"): Array<Record<string, unknown>> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  return Object.entries(properties).map(([name, value]) => ({
    name,
    in: where,
    required: where === "path" || required.has(name),
    schema: value,
  }));
}

/** Every parameter the path declares, typed by the `params` schema where it has the name. */
function pathParameters(
  route: RouteDefinition,
  id: string,
  components: Record<string, JsonSchema>,
) {
  const declared = route.params
    ? parameters(toJsonSchema(route.params, "input", `${id}Params`, components), "path")
    : [];
  const names = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  return names.map(
    (name) =>
      declared.find((p) => p.name === name) ?? {
        name,
        in: "path",
        required: true,
        schema: { type: "string" },
      },
  );
}

/** The `paths` (below the API prefix) and hoisted schemas of `routes`. */
export function routesOpenApi(
  routes: readonly RouteDefinition[],
  options: RoutesOpenApiOptions = {},
): OpenApiFragment {
  const paths: Record<string, Record<string, unknown>> = {};
  const components: Record<string, JsonSchema> = {};
  for (const route of routes) {
    const path = route.path.replace(/:(\w+)/g, "{$1}");
    const method = route.method.toLowerCase();
    const operationId = route.operationId ?? `${method}${pascal(path)}`;
    const owner = pascal(operationId);
    const item = paths[path] ?? {};
    paths[path] = item;
    // Path parameters belong to the path, shared by every method on it.
    const inPath = pathParameters(route, owner, components);
    if (inPath.length > 0) item.parameters ??= inPath;

    const { status, description, schema } = route.response;
    const responses: Record<string, unknown> = {
      [status]: schema
        ? {
            description,
            content: json(toJsonSchema(schema, "output", `${owner}Response`, components)),
          }
        : { description },
    };
    for (const [code, text] of Object.entries(route.errors ?? {})) {
      responses[code] = errorResponse(text);
    }
    // Every route below the prefix shares the client's rate-limit budget.
    responses["429"] ??= errorResponse("too many requests (RATE_LIMITED)");

    const tags = route.tags ?? options.tags ?? [];
    const query = route.query
      ? parameters(toJsonSchema(route.query, "input", `${owner}Query`, components), "query")
      : [];
    item[method] = {
      ...(tags.length > 0 ? { tags: [...tags] } : {}),
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      ...(query.length > 0 ? { parameters: query } : {}),
      ...(route.body
        ? {
            requestBody: {
              required: bodyRequired(route.body),
              content: json(toJsonSchema(route.body, "input", `${owner}Body`, components)),
            },
          }
        : {}),
      ...(route.secured && options.security?.length
        ? { security: options.security.map((r) => ({ ...r })) }
        : {}),
      responses,
      operationId,
    };
  }
  return {
    paths,
    ...(Object.keys(components).length > 0 ? { components: { schemas: components } } : {}),
  };
}
