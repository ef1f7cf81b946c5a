import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { WHERE_OPERATORS } from "@lucent/core";
import type { Shared, TestLucent } from "../test/fixtures.ts";
import { sharedLucent } from "../test/fixtures.ts";
import { openapi } from "./index.ts";
import type { OpenApiDocument } from "./openapi-types.ts";

// biome-ignore lint/suspicious/noExplicitAny: the tests read deep into a JSON document
type Schema = Record<string, any>;

let shared: Shared;
let lucent: TestLucent;
let doc: OpenApiDocument;
const schemas = () => doc.components.schemas as Record<string, Schema>;
const op = (path: string, method: string) => (doc.paths[path] as Record<string, Schema>)[method]!;

beforeAll(async () => {
  shared = await sharedLucent();
  lucent = await shared.start([openapi()]);
  doc = await lucent.json<OpenApiDocument>("/api/docs/json");
}, 60_000);
afterAll(() => shared.close());

describe("the where parameter", () => {
  test("is JSON content whose schema allows each field's operators only", () => {
    const where = op("/api/articles", "get").parameters.find((p: Schema) => p.name === "where");
    expect(where.content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/ArticleWhere",
    });
    const props = schemas().ArticleWhere!.properties;
    expect(Object.keys(props.title.properties)).toContain("like");
    expect(Object.keys(props.views.properties)).not.toContain("like");
    expect(Object.keys(props.pinned.properties)).toEqual(["eq", "neq", "exists"]);
    expect(Object.keys(props.body.properties)).toEqual(["exists"]);
    expect(props.secret).toBeUndefined();
    expect(props.and.items).toEqual({ $ref: "#/components/schemas/ArticleWhere" });
  });

  test("offers exactly the operators the parser accepts, on a field of every type", async () => {
    // One table in core serves both: an operator the document lists is never refused as
    // "does not apply", and one it leaves out always is.
    const props = schemas().ArticleWhere!.properties as Record<string, Schema>;
    const fields = Object.keys(props).filter((k) => k !== "and" && k !== "or" && !k.includes("."));
    expect(fields.length).toBeGreaterThan(14);
    for (const field of fields) {
      const documented = Object.keys(props[field]!.properties);
      for (const op of WHERE_OPERATORS) {
        const value = op === "exists" ? true : op === "in" || op === "nin" ? [] : "x";
        const where = encodeURIComponent(JSON.stringify({ [field]: { [op]: value } }));
        const body = await (await lucent.handle(`/api/articles?where=${where}`)).text();
        const refused = body.includes("does not apply");
        expect({ field, op, refused }).toEqual({ field, op, refused: !documented.includes(op) });
      }
    }
  });

  test("states the cost limits, and every collection route documents 503 with Retry-After", () => {
    const where = op("/api/articles", "get").parameters.find((p: Schema) => p.name === "where");
    expect(where.description).toContain("at most 100 conditions and 10 distinct dotted paths");
    for (const [path, method] of [
      ["/api/articles", "get"],
      ["/api/articles", "post"],
      ["/api/articles/{id}", "get"],
      ["/api/articles/{id}", "patch"],
      ["/api/articles/{id}", "delete"],
    ] as const) {
      expect(op(path, method).responses["503"]).toEqual({
        $ref: "#/components/responses/Unavailable",
      });
    }
    const unavailable = (doc.components as Record<string, Schema>).responses!.Unavailable;
    expect(unavailable.headers["Retry-After"]).toBeDefined();
  });

  test('accepts "me" on relationships to the auth collection and spells out dotted paths', () => {
    const props = schemas().ArticleWhere!.properties;
    expect(JSON.stringify(props.author.properties.eq)).toContain('"const":"me"');
    expect(props["author.name"].properties.like).toBeDefined();
  });
});

describe("list parameters", () => {
  test("offer page, limit, sort, where, depth and select, with sort and select as comma lists", () => {
    const params = op("/api/articles", "get").parameters as Schema[];
    expect(params.map((p) => p.name)).toEqual([
      "page",
      "limit",
      "sort",
      "where",
      "depth",
      "select",
    ]);
    const sort = params.find((p) => p.name === "sort")!;
    expect(sort).toMatchObject({ style: "form", explode: false });
    expect(sort.schema.items.enum).toEqual(
      expect.arrayContaining(["title", "-title", "-createdAt"]),
    );
    expect(sort.schema.items.enum).not.toContain("labels");
    const select = params.find((p) => p.name === "select")!;
    expect(select.schema.items.enum).not.toContain("secret");
  });
});
