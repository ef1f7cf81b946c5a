/**
 * A field type added outside core's built-in table (core's
 * test/fixtures/color-field.ts) reaches the document with nothing in this
 * package knowing it: its response, input and where schemas and its sort keys
 * all come from its definition.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { defineCollection, defineFieldType, removeFieldType } from "@lucent/core";
import { colorType } from "../../core/test/fixtures/color-field.ts";
import type { Shared, TestLucent } from "../test/fixtures.ts";
import { People, sharedLucent } from "../test/fixtures.ts";
import { openapi } from "./index.ts";
import type { OpenApiDocument } from "./openapi-types.ts";

// biome-ignore lint/suspicious/noExplicitAny: the tests read deep into a JSON document
type Schema = Record<string, any>;

const Swatches = defineCollection({
  slug: "swatches",
  access: { read: () => true, create: () => true },
  fields: {
    name: { type: "text", required: true },
    color: { type: "color", required: true, description: "The swatch itself" },
  },
});

let shared: Shared;
let lucent: TestLucent;
let doc: OpenApiDocument;
const schemas = () => doc.components.schemas as Record<string, Schema>;

beforeAll(async () => {
  defineFieldType(colorType);
  shared = await sharedLucent([People, Swatches]);
  lucent = await shared.start([openapi()]);
  doc = await lucent.json<OpenApiDocument>("/api/docs/json");
}, 60_000);
afterAll(async () => {
  await shared.close();
  removeFieldType("color");
});

describe("a field type added with defineFieldType", () => {
  test("appears in the collection's document and input schemas", () => {
    expect(schemas().Swatch!.properties.color).toEqual({
      anyOf: [{ type: "string" }, { type: "null" }],
      description: "The swatch itself",
    });
    expect(schemas().SwatchCreateInput!.properties.color).toEqual({
      type: "string",
      pattern: "^#[0-9a-fA-F]{6}$",
      description: "The swatch itself",
    });
    expect(schemas().SwatchCreateInput!.required).toContain("color");
  });

  test("appears in the where schema with exactly the operators it offers", () => {
    const color = schemas().SwatchWhere!.properties.color;
    expect(Object.keys(color.properties)).toEqual(["eq", "neq", "in", "nin", "exists"]);
    expect(color.properties.in.items).toEqual({ type: "string", pattern: "^#[0-9a-fA-F]{6}$" });
  });

  test("is offered as a sort key, and the parser agrees with every operator the document lists or leaves out", async () => {
    const list = (doc.paths["/api/swatches"] as Record<string, Schema>).get!;
    const sort = list.parameters.find((p: Schema) => p.name === "sort");
    expect(sort.schema.items.enum).toEqual(expect.arrayContaining(["color", "-color"]));
    expect((await lucent.handle("/api/swatches?sort=-color")).status).toBe(200);
    const documented = Object.keys(schemas().SwatchWhere!.properties.color.properties);
    for (const op of ["eq", "neq", "gt", "gte", "lt", "lte", "in", "nin", "exists", "like"]) {
      const value = op === "exists" ? true : op === "in" || op === "nin" ? ["#000000"] : "#000000";
      const where = encodeURIComponent(JSON.stringify({ color: { [op]: value } }));
      const res = await lucent.handle(`/api/swatches?where=${where}`);
      expect({ op, status: res.status }).toEqual({
        op,
        status: documented.includes(op) ? 200 : 400,
      });
    }
  });
});
