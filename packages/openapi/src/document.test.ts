import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { validate } from "@scalar/openapi-parser";
import type { Shared, TestLucent } from "../test/fixtures.ts";
import { sharedLucent, widgets } from "../test/fixtures.ts";
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
  lucent = await shared.start([widgets, openapi()]);
  doc = await lucent.json<OpenApiDocument>("/api/docs/json");
}, 60_000);
afterAll(() => shared.close());

/** Every `$ref` in the document, with where it was found. */
function refs(value: unknown, at = "#"): Array<[string, string]> {
  if (Array.isArray(value)) return value.flatMap((v, i) => refs(v, `${at}/${i}`));
  if (!value || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) =>
    k === "$ref" && typeof v === "string" ? [[at, v] as [string, string]] : refs(v, `${at}/${k}`),
  );
}

describe("the document", () => {
  test("passes the OpenAPI 3.1 validator", async () => {
    const result = await validate(structuredClone(doc) as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe("3.1.0");
    const broken = await validate({ ...structuredClone(doc), info: { title: 1 } });
    expect(broken.valid).toBe(false);
  });

  test("points every $ref at a component that exists, and keeps no local $defs", () => {
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(20);
    const broken = all.filter(([, ref]) => {
      const [, section, name] = ref.match(/^#\/components\/(\w+)\/(.+)$/) ?? [];
      return !section || !(doc.components[section] as Record<string, unknown> | undefined)?.[name!];
    });
    expect(broken).toEqual([]);
    expect(JSON.stringify(doc)).not.toContain("$defs");
  });

  test("gives every collection route a stable, readable operationId", () => {
    const ids = Object.values(doc.paths).flatMap((item) =>
      Object.values(item as Record<string, Schema>).flatMap((o) =>
        o?.operationId ? [o.operationId] : [],
      ),
    );
    expect(ids).toEqual(
      expect.arrayContaining([
        "getHealth",
        "listArticles",
        "createArticle",
        "getArticle",
        "updateArticle",
        "deleteArticle",
        "getArticleImage",
        "listPeople",
        "createPeople",
        "pingWidgets",
        "getOpenApiDocument",
      ]),
    );
    expect(new Set(ids).size).toBe(ids.length);
  });

  test("includes a module's routes below the API prefix, with its tag", () => {
    expect(op("/api/widgets/ping", "get").operationId).toBe("pingWidgets");
    expect(doc.tags.map((t) => t.name)).toEqual(
      expect.arrayContaining(["health", "people", "articles", "widgets"]),
    );
  });

  test("takes security schemes from modules and lets any one of them, or none, call an operation", () => {
    expect(doc.components.securitySchemes).toEqual({
      widgetKey: { type: "apiKey", in: "header", name: "x-widget-key" },
    });
    expect(doc.security).toEqual([{ widgetKey: [] }, {}]);
    expect(op("/api/health", "get").security).toEqual([]);
  });
});

describe("collection schemas", () => {
  test("never show a password in a document, and take one write-only on input", () => {
    expect(Object.keys(schemas().Article!.properties)).not.toContain("secret");
    expect(Object.keys(schemas().People!.properties)).not.toContain("password");
    expect(schemas().ArticleCreateInput!.properties.secret).toMatchObject({
      writeOnly: true,
      format: "password",
    });
  });

  test("carry select options as enums and required fields as required on create only", () => {
    const create = schemas().ArticleCreateInput!;
    expect(create.required).toEqual(["title"]);
    expect(create.additionalProperties).toBe(false);
    expect(create.properties.title).toEqual({ type: "string", minLength: 1, maxLength: 200 });
    expect(create.properties.status.description).toBe('Defaults to "draft".');
    // In a JSON body an upload field names a finished direct or tus upload (CONTRACT §11), or is null.
    expect(create.properties.image.anyOf).toEqual([
      {
        type: "object",
        properties: { key: { type: "string", minLength: 1, maxLength: 200 } },
        required: ["key"],
        additionalProperties: false,
      },
      { type: "null" },
    ]);
    expect(schemas().ArticleUpdateInput!.required).toBeUndefined();
    expect(schemas().Article!.properties.status.anyOf[0]).toEqual({
      type: "string",
      enum: ["draft", "published"],
    });
  });

  test("type relationships as an id or, with depth, the related document", () => {
    const article = schemas().Article!.properties;
    expect(article.author.anyOf[0]).toEqual({
      oneOf: [{ type: "string", format: "uuid" }, { $ref: "#/components/schemas/People" }],
    });
    expect(article.reviewers.anyOf[0].type).toBe("array");
    expect(schemas().ArticleCreateInput!.properties.author.anyOf[0]).toMatchObject({
      type: "string",
      format: "uuid",
    });
  });

  test("describe uploads as stored files, sent as multipart, served at their own path", () => {
    expect(schemas().Article!.properties.image.anyOf[0]).toEqual({
      $ref: "#/components/schemas/StoredFile",
    });
    const multipart = op("/api/articles", "post").requestBody.content["multipart/form-data"];
    expect(multipart.schema.properties.image).toEqual({ type: "string", format: "binary" });
    expect(multipart.encoding._payload.contentType).toBe("application/json");
    expect(Object.keys(op("/api/articles/{id}/image", "get").responses["200"].content)).toEqual([
      "image/png",
      "image/jpeg",
    ]);
  });

  test("take json fields' own schemas and array fields' item fields from core's validation", () => {
    const create = schemas().ArticleCreateInput!.properties;
    expect(JSON.stringify(create.links)).toContain('"url"');
    expect(JSON.stringify(create.extra)).toContain("JsonValue");
  });

  test("list the envelope's fields as required", () => {
    expect(schemas().ArticleList!.required).toEqual([
      "docs",
      "totalDocs",
      "page",
      "limit",
      "totalPages",
      "hasNextPage",
      "hasPrevPage",
    ]);
  });
});

describe("error responses", () => {
  test("use the one error envelope for every error status an operation can return", () => {
    const responses = op("/api/articles/{id}", "patch").responses;
    expect(Object.keys(responses)).toEqual([
      "200",
      "400",
      "401",
      "403",
      "404",
      "409",
      "413",
      "429",
      "500",
      "503",
    ]);
    expect(doc.components.responses!.NotFound).toMatchObject({
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
    });
    expect(schemas().Error!.properties.error.required).toEqual(["code", "message", "requestId"]);
  });
});
