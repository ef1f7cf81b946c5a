/**
 * A field type added outside the built-in table (test/fixtures/color-field.ts)
 * works everywhere a built-in one does: config validation, the column, body
 * validation, where and sort, and the generated types.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { colorType } from "../../../test/fixtures/color-field.ts";
import { type Harness, startHarness } from "../../../test/harness.ts";
import { ConfigError } from "../../http/errors.ts";
import { defineCollection } from "../../index.ts";
import type { LucentConfig } from "../config.ts";
import { resolveConfig } from "../config.ts";
import type { FieldBase, FieldConfig } from "../fields.ts";
import { resolveCollection } from "../schema.ts";
import { generateTypes } from "../typegen.ts";
import { defineFieldType, fieldTypeOf, removeFieldType } from "./registry.ts";

const Swatches = defineCollection({
  slug: "swatches",
  access: { create: () => true, update: () => true, delete: () => true },
  fields: {
    name: { type: "text", required: true },
    color: { type: "color", required: true, index: true },
  },
});

let h: Harness;
const where = (w: unknown) => `/api/swatches?where=${encodeURIComponent(JSON.stringify(w))}`;
const names = async (res: Response) =>
  ((await res.json()) as { docs: Array<{ name: string }> }).docs.map((d) => d.name);

beforeAll(async () => {
  defineFieldType(colorType);
  h = await startHarness({ collections: [Swatches] });
  for (const [name, color] of [
    ["sky", "#1E90FF"],
    ["grass", "#00ff00"],
    ["night", "#000000"],
  ]) {
    expect((await h.json("POST", "/api/swatches", { name, color })).status).toBe(201);
  }
});
afterAll(async () => {
  await h.close();
  removeFieldType("color");
});

describe("a field type added with defineFieldType", () => {
  test("gets the column, index and body validation its definition gives", async () => {
    const spec = resolveCollection(Swatches).spec;
    expect(spec.columns.find((c) => c.name === "color")?.type).toBe("text");
    expect(spec.indexes?.some((i) => i.columns.join() === "color" && !i.unique)).toBe(true);
    const refused = await h.json("POST", "/api/swatches", { name: "bad", color: "red" });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain("must be a colour such as #1e90ff");
    const list = await (await h.request(where({ name: { eq: "sky" } }))).json();
    expect((list as { docs: Array<{ color: string }> }).docs[0]?.color).toBe("#1e90ff");
  });

  test("is accepted in a where with each operator it offers", async () => {
    expect(await names(await h.request(where({ color: { eq: "#1E90FF" } })))).toEqual(["sky"]);
    expect(
      (await names(await h.request(where({ color: { in: ["#00ff00", "#000000"] } })))).sort(),
    ).toEqual(["grass", "night"]);
    expect((await names(await h.request(where({ color: { neq: "#000000" } })))).sort()).toEqual([
      "grass",
      "sky",
    ]);
    expect(await names(await h.request(where({ color: { nin: ["#000000", "#00ff00"] } })))).toEqual(
      ["sky"],
    );
    expect((await names(await h.request(where({ color: { exists: true } })))).length).toBe(3);
  });

  test("refuses with 400 an operator its column could answer but the type does not offer", async () => {
    for (const [op, value] of [
      ["like", "ff"],
      ["gt", "#000000"],
    ] as const) {
      const res = await h.request(where({ color: { [op]: value } }));
      expect(res.status).toBe(400);
      expect(JSON.stringify(await res.json())).toContain(`operator \\"${op}\\" does not apply`);
    }
  });

  test("refuses with 400 a where value its type does not accept", async () => {
    const res = await h.request(where({ color: { eq: "blue" } }));
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain("must be a colour");
  });

  test("sorts a list, both ways, because its definition says it is sortable", async () => {
    expect(await names(await h.request("/api/swatches?sort=color"))).toEqual([
      "night",
      "grass",
      "sky",
    ]);
    expect(await names(await h.request("/api/swatches?sort=-color"))).toEqual([
      "sky",
      "grass",
      "night",
    ]);
  });

  test("has its own options checked at startup, and is listed among the known types", () => {
    const problems = (config: unknown): string[] => {
      try {
        resolveConfig(config as LucentConfig);
      } catch (error) {
        if (error instanceof ConfigError) return error.problems;
        throw error;
      }
      return [];
    };
    const fields = (field: unknown) => ({ collections: [{ slug: "s", fields: { c: field } }] });
    expect(problems(fields({ type: "color", unique: true }))).toEqual([]);
    expect(problems(fields({ type: "color", options: ["x"] }))).toEqual([
      'collections[0].fields.c: Unrecognized key: "options"',
    ]);
    expect(problems(fields({ type: "colour" }))[0]).toEndWith(", relationship, upload, color)");
  });

  test("is written into the generated types", () => {
    const types = generateTypes({ collections: [resolveCollection(Swatches)] });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: generated TypeScript
    expect(types).toContain("  color: `#${string}`;");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: generated TypeScript
    expect(types).toContain("  color?: Condition<`#${string}`>;");
  });
});

describe("the field-type table", () => {
  test("registers a definition once, and refuses another under a taken name", () => {
    expect(defineFieldType(colorType)).toBe(colorType);
    expect(() => defineFieldType({ ...colorType })).toThrow('"color" is already defined');
    expect(() => defineFieldType({ ...fieldTypeOf({ type: "text" }) })).toThrow(
      '"text" is already defined',
    );
    expect(() => removeFieldType("text")).toThrow("built-in");
  });

  test("stops startup on a type that offers an operator its column cannot answer", () => {
    defineFieldType<FieldBase>({
      ...colorType,
      type: "badColor",
      column: () => ({ type: "jsonb" }),
    });
    try {
      const field = { type: "badColor" } as unknown as FieldConfig;
      expect(() => resolveCollection({ slug: "bad", fields: { c: field } })).toThrow(
        'field type "badColor": its column (jsonb) cannot answer "eq"',
      );
    } finally {
      removeFieldType("badColor");
    }
  });
});
