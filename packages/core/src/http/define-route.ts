/**
 * A route that describes itself: one definition gives the Elysia route, its
 * part of the OpenAPI document (route-openapi.ts) and whether it gets the
 * tighter "sensitive" rate limit, so none of the three is written twice.
 *
 * A request runs `before` (checks that must win over a bad body, such as a
 * cross-site refusal or a missing sign-in), then checks the path parameters,
 * the query and the JSON body, and only then calls `handler`.
 */
import type { Context } from "elysia";
import { Elysia } from "elysia";
import type { output, ZodType } from "zod";
import type { JsonSchema } from "../schema/field-types/types.ts";
import { parseInput, readJsonObject } from "./route-input.ts";

export type { JsonSchema };

export type RouteMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * A body is a zod schema (checked, and the handler's `body` is its output) or
 * a JSON Schema (documented only: the handler gets the JSON object and checks
 * it itself, as registration leaves its fields to the collection).
 */
export type BodySchema = ZodType | JsonSchema;

/** What a schema hands the handler: its output, a plain JSON object, or `Fallback` without one. */
export type SchemaOutput<S, Fallback> = S extends ZodType
  ? output<S>
  : S extends JsonSchema
    ? Record<string, unknown>
    : Fallback;

/** What `before` sees: the request as it came, nothing read or checked yet. */
export interface RouteRequest {
  request: Request;
  /** The path parameters, as strings and unchecked. */
  params: Record<string, string>;
  /** Response status and headers (Elysia's `set`). */
  set: Context["set"];
}

/** What the handler sees once every check passed. */
export interface RouteContext<TBody = unknown, TParams = unknown, TQuery = unknown>
  extends Omit<RouteRequest, "params"> {
  /** The JSON body; `undefined` on a route without one (its body is never read). */
  body: TBody;
  /** The path parameters: the `params` schema's output, else the raw strings. */
  params: TParams;
  /** The query: the `query` schema's output, else its raw strings (the first of repeated names). */
  query: TQuery;
}

export interface RouteResponse {
  /** The success status; a handler's plain result is sent with it (a returned Response keeps its own). */
  status: number;
  description: string;
  /** The success body, as zod (its output) or JSON Schema. @default no body */
  schema?: ZodType | JsonSchema;
}

export interface RouteDefinition<
  TBody extends BodySchema | undefined = BodySchema | undefined,
  TParams extends ZodType | undefined = ZodType | undefined,
  TQuery extends ZodType | undefined = ZodType | undefined,
> {
  method: RouteMethod;
  /** Below the API prefix, in Elysia's syntax (`/auth/api-keys/:id`). */
  path: string;
  /** One line for the OpenAPI document. */
  summary: string;
  description?: string;
  /** @default the `tags` given to `routesOpenApi` */
  tags?: readonly string[];
  /** A stable name for generated clients. @default the method and the path in camel case */
  operationId?: string;
  /** The JSON body; without one the body is never read. */
  body?: TBody;
  /** Largest body in bytes, refused with 413 past it. @default 64 KiB */
  bodyLimit?: number;
  /** The path parameters, as a zod object. */
  params?: TParams;
  /** The query parameters, as a zod object. */
  query?: TQuery;
  response: RouteResponse;
  /** Error statuses the route answers with, each with what causes it. @default none listed */
  errors?: Readonly<Record<number, string>>;
  /** Needs a signed-in caller: the document lists the security requirements given to `routesOpenApi`. */
  secured?: boolean;
  /** `"sensitive"`: the tighter rate-limit budget of sign-in routes (RATE_LIMIT_AUTH). */
  rateLimit?: "sensitive";
  // Methods, not function-typed properties: a list of routes with different
  // bodies is then one `RouteDefinition[]`, each handler keeping its own types.
  /** Runs first: a refusal here wins over a malformed body, which is not read yet. */
  before?(input: RouteRequest): void | Promise<void>;
  handler(
    input: RouteContext<
      SchemaOutput<TBody, undefined>,
      SchemaOutput<TParams, Record<string, string>>,
      SchemaOutput<TQuery, Record<string, string>>
    >,
  ): unknown;
}

/** Declares a route; the handler's `body`, `params` and `query` are typed from their schemas. */
export function defineRoute<
  TBody extends BodySchema | undefined = undefined,
  TParams extends ZodType | undefined = undefined,
  TQuery extends ZodType | undefined = undefined,
>(route: RouteDefinition<TBody, TParams, TQuery>): RouteDefinition<TBody, TParams, TQuery> {
  return route;
}

/** zod schemas carry `_zod`; a JSON Schema object never does. */
export function isZod(schema: BodySchema): schema is ZodType {
  return "_zod" in schema;
}

/**
 * The query's first value per name, as `URLSearchParams.get` reads it; no
 * prototype, so a name like `constructor` is only ever a sent value.
 */
function queryOf(request: Request): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [name, value] of new URL(request.url).searchParams) {
    if (!(name in out)) out[name] = value;
  }
  return out;
}

async function serve(route: RouteDefinition, { request, params, set }: RouteRequest) {
  await route.before?.({ request, params, set });
  const checkedParams = route.params ? await parseInput(route.params, params) : params;
  const rawQuery = queryOf(request);
  const query = route.query ? await parseInput(route.query, rawQuery) : rawQuery;
  const json = route.body ? await readJsonObject(request, route.bodyLimit) : undefined;
  const body = route.body && isZod(route.body) ? await parseInput(route.body, json) : json;
  const result = await route.handler({ request, set, params: checkedParams, query, body });
  // Unless the handler chose another through `set.status`.
  if (!(result instanceof Response) && (set.status === undefined || set.status === 200)) {
    set.status = route.response.status;
  }
  return result;
}

/** An Elysia plugin serving `routes`; `name` makes it apply once per app. */
export function mountRoutes(name: string, routes: readonly RouteDefinition[]) {
  const app = new Elysia({ name });
  for (const route of routes) {
    // Bodies are read by `serve` under their limit, never whole by Elysia first.
    app.route(route.method, route.path, (ctx: RouteRequest) => serve(route, ctx), {
      parse: "none",
    });
  }
  return app;
}

/** The paths (as declared) of the routes with the sensitive budget: a module's `sensitiveRoutes`. */
export function sensitivePaths(routes: readonly RouteDefinition[]): string[] {
  return [...new Set(routes.filter((r) => r.rateLimit === "sensitive").map((r) => r.path))];
}
