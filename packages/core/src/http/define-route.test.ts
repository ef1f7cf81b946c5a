import { describe, expect, expectTypeOf, test } from "bun:test";
import { Elysia } from "elysia";
import { z } from "zod";
import { createLogger } from "../kernel/logger.ts";
import { defineRoute, mountRoutes, type RouteDefinition, sensitivePaths } from "./define-route.ts";
import { ForbiddenError } from "./errors.ts";
import { errorResponse, toLucentError } from "./http-errors.ts";
import { routesOpenApi } from "./route-openapi.ts";

const noteBody = z.strictObject({
  title: z.string().min(1).max(20),
  stars: z.int().min(0).default(0),
});

const createNote = defineRoute({
  method: "POST",
  path: "/notes",
  summary: "Create a note",
  operationId: "createNote",
  body: noteBody,
  response: {
    status: 201,
    description: "created",
    schema: z.object({ title: z.string(), stars: z.int() }),
  },
  errors: { 400: "invalid body (VALIDATION_ERROR)" },
  rateLimit: "sensitive",
  handler: ({ body }) => {
    expectTypeOf(body).toEqualTypeOf<{ title: string; stars: number }>();
    return { title: body.title.toUpperCase(), stars: body.stars };
  },
});

/** Refuses a request that says `x-deny` before its body is looked at. */
const guarded = defineRoute({
  method: "POST",
  path: "/guarded/:id",
  summary: "A guarded write",
  params: z.object({ id: z.guid("must be a UUID") }),
  body: z.strictObject({ ok: z.boolean().optional() }),
  response: { status: 200, description: "done" },
  secured: true,
  before: ({ request }) => {
    if (request.headers.has("x-deny")) throw new ForbiddenError("denied");
  },
  handler: ({ params, body }) => {
    expectTypeOf(params).toEqualTypeOf<{ id: string }>();
    return { id: params.id, ok: body.ok ?? false };
  },
});

const redirect = defineRoute({
  method: "GET",
  path: "/away",
  summary: "Leave",
  tags: ["elsewhere"],
  response: { status: 302, description: "redirect" },
  handler: ({ body }) => {
    expectTypeOf(body).toEqualTypeOf<undefined>();
    return new Response(null, { status: 302, headers: { location: "/there" } });
  },
});

const routes: RouteDefinition[] = [createNote, guarded, redirect];
const logger = createLogger({ level: "silent" });
// The contract's envelope, as core's plugin answers every error.
const app = new Elysia()
  .onError(({ error, code }) => errorResponse(toLucentError(error, code, logger), "req-1"))
  .use(mountRoutes("test/notes", routes));

const send = (path: string, init: RequestInit = {}) =>
  app.handle(new Request(`http://localhost${path}`, init));
const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  send(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });

describe("a route made with defineRoute", () => {
  test("hands the handler the parsed body and answers with the declared status", async () => {
    const res = await post("/notes", JSON.stringify({ title: "hello" }));
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ title: "HELLO", stars: 0 });
  });

  test("answers a body the schema refuses with 400 in the contract's envelope", async () => {
    const res = await post("/notes", JSON.stringify({ title: "", color: "red" }));
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as {
      error: { code: string; details: Array<{ path: string }>; requestId: string };
    };
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.requestId).toBe("req-1");
    expect(error.details.map((d) => d.path).sort()).toEqual(["", "title"]);
  });

  test.each([
    ["a form", { "content-type": "application/x-www-form-urlencoded" }, "title=x", 400],
    ["a JSON array", { "content-type": "application/json" }, "[]", 400],
    ["malformed JSON", { "content-type": "application/json" }, "{", 400],
    ["a body past the limit", { "content-type": "application/json" }, "x".repeat(70_000), 413],
  ])("refuses %s", async (_name, headers, body, status) => {
    const res = await send("/notes", { method: "POST", headers, body });
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBeString();
  });

  test("runs `before` ahead of the params and the body, so its refusal wins", async () => {
    const res = await post("/guarded/not-a-uuid", "{", { "x-deny": "1" });
    expect(res.status).toBe(403);
  });

  test("checks path parameters with their schema, then the body", async () => {
    const bad = await post("/guarded/not-a-uuid", "{");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toBe(
      "id: must be a UUID",
    );
    const id = "0190a3b2-0000-7000-8000-000000000001";
    const ok = await send(`/guarded/${id}`, { method: "POST" });
    expect(await ok.json()).toEqual({ id, ok: false });
  });

  test("a returned Response keeps its own status", async () => {
    const res = await send("/away");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/there");
  });
});

describe("the OpenAPI fragment of routes", () => {
  const fragment = routesOpenApi(routes, {
    tags: ["notes"],
    security: [{ bearerAuth: [] }, { apiKey: [] }],
  });
  type Operation = {
    tags?: string[];
    operationId: string;
    requestBody?: { required: boolean; content: { "application/json": { schema: unknown } } };
    responses: Record<string, { description: string; content?: unknown }>;
    security?: unknown;
  };
  const op = (path: string, method: string) => fragment.paths![path]![method] as Operation;

  test("lists the body schema, the success response, the errors and 429", () => {
    const create = op("/notes", "post");
    expect(create.operationId).toBe("createNote");
    expect(create.tags).toEqual(["notes"]);
    expect(create.requestBody!.required).toBe(true);
    expect(create.requestBody!.content["application/json"].schema).toMatchObject({
      type: "object",
      properties: { title: { type: "string", minLength: 1, maxLength: 20 } },
      required: ["title"],
      additionalProperties: false,
    });
    expect(Object.keys(create.responses)).toEqual(["201", "400", "429"]);
    expect(JSON.stringify(create.responses["201"])).toContain('"stars"');
    expect(JSON.stringify(create.responses["400"])).toContain("#/components/schemas/Error");
    expect(create.security).toBeUndefined();
  });

  test("puts path parameters on the path, names unnamed operations, and secures secured ones", () => {
    const item = fragment.paths!["/guarded/{id}"]!;
    expect(item.parameters).toEqual([
      {
        name: "id",
        in: "path",
        required: true,
        schema: expect.objectContaining({ format: "uuid" }),
      },
    ]);
    const write = op("/guarded/{id}", "post");
    expect(write.operationId).toBe("postGuardedId");
    // Every field is optional: the body may be left out.
    expect(write.requestBody!.required).toBe(false);
    expect(write.security).toEqual([{ bearerAuth: [] }, { apiKey: [] }]);
    expect(op("/away", "get").tags).toEqual(["elsewhere"]);
    expect(op("/away", "get").responses["302"]).toEqual({ description: "redirect" });
  });

  test("moves schemas that refer to themselves into components", () => {
    const withJson = defineRoute({
      method: "PUT",
      path: "/settings",
      summary: "Replace settings",
      operationId: "putSettings",
      body: z.strictObject({ value: z.json() }),
      response: { status: 200, description: "saved" },
      handler: () => ({}),
    });
    const { paths, components } = routesOpenApi([withJson]);
    const text = JSON.stringify(paths!["/settings"]!.put);
    expect(text).not.toContain("$defs");
    const refs = [...text.matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)]
      .map((m) => m[1]!)
      .filter((name) => name !== "Error");
    expect(refs.length).toBeGreaterThan(0);
    for (const name of refs) expect(components!.schemas).toHaveProperty(name);
    expect(JSON.stringify(components)).not.toContain('"$ref":"#"');
  });

  test("sensitivePaths lists the routes with the sensitive budget, as declared", () => {
    expect(sensitivePaths(routes)).toEqual(["/notes"]);
  });
});
