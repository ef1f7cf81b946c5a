/** Startup validation: a bad config gives one clear line per problem. */
import { describe, expect, test } from "bun:test";
import { ConfigError } from "../http/errors.ts";
import type { CollectionConfig } from "./collection.ts";
import type { LucentConfig } from "./config.ts";
import { resolveConfig } from "./config.ts";

const posts: CollectionConfig = { slug: "posts", fields: { title: { type: "text" } } };

function problems(config: unknown): string[] {
  try {
    resolveConfig(config as LucentConfig);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("resolveConfig", () => {
  test.each([
    [
      "an unknown field type",
      { collections: [{ slug: "posts", fields: { title: { type: "string" } } }] },
      "collections[0].fields.title.type: unknown field type (text, email, password, richtext, integer, number, boolean, date, select, multiselect, json, array, relationship, upload)",
    ],
    [
      "a duplicate slug",
      { collections: [posts, posts] },
      'collections[1].slug: "posts" is used by two collections',
    ],
    [
      "a relationship to a missing collection",
      {
        collections: [
          { slug: "posts", fields: { author: { type: "relationship", relationTo: "people" } } },
        ],
      },
      'collections[0].fields.author.relationTo: no collection has the slug "people"',
    ],
    [
      "a wildcard CORS origin with credentials",
      { collections: [posts], api: { cors: { origin: "*", credentials: true } } },
      "api.cors: a wildcard origin cannot be combined with credentials; list the allowed origins",
    ],
    [
      "a wildcard in an origin list with credentials",
      {
        collections: [posts],
        api: { cors: { origin: ["https://a.example", "*"], credentials: true } },
      },
      "api.cors: a wildcard origin cannot be combined with credentials; list the allowed origins",
    ],
    [
      "a field name that is not camelCase",
      { collections: [{ slug: "posts", fields: { "Title-x": { type: "text" } } }] },
      "collections[0].fields.Title-x: field names are camelCase: a lower-case letter, then letters and digits",
    ],
    [
      "a reserved field name",
      { collections: [{ slug: "posts", fields: { createdAt: { type: "date" } } }] },
      'collections[0].fields.createdAt: "createdAt" is reserved',
    ],
    [
      "a bad slug",
      { collections: [{ slug: "Posts!", fields: {} }] },
      "collections[0].slug: lower-case letters, digits and dashes, starting with a letter",
    ],
    [
      "a select without options",
      { collections: [{ slug: "posts", fields: { s: { type: "select", options: [] } } }] },
      "collections[0].fields.s.options: needs at least one option",
    ],
    [
      "a database URL that is not Postgres",
      { collections: [posts], db: { url: "mysql://x" } },
      "db.url: must be a postgres:// URL (or memory://)",
    ],
    [
      "regression: a select default outside its options (it started)",
      {
        collections: [
          {
            slug: "posts",
            fields: { s: { type: "select", options: ["a", "b"], defaultValue: "c" } },
          },
        ],
      },
      "collections[0].fields.s.defaultValue: must be one of a, b",
    ],
    [
      "regression: an integer default under its min (it started)",
      {
        collections: [
          { slug: "posts", fields: { n: { type: "integer", min: 0, defaultValue: -1 } } },
        ],
      },
      "collections[0].fields.n.defaultValue: must be at least 0",
    ],
    [
      "regression: a field whose column is a system column (createdAT → created_at)",
      { collections: [{ slug: "posts", fields: { createdAT: { type: "text" } } }] },
      `collections[0].fields.createdAT: its column "created_at" is already createdAt's; rename the field`,
    ],
    [
      "two fields on one column",
      {
        collections: [
          { slug: "posts", fields: { urlID: { type: "text" }, urlId: { type: "text" } } },
        ],
      },
      `collections[0].fields.urlId: its column "url_id" is already urlID's; rename the field`,
    ],
    [
      "a default inside an array field's items",
      {
        collections: [
          {
            slug: "posts",
            fields: {
              rows: { type: "array", fields: { d: { type: "date", defaultValue: "soon" } } },
            },
          },
        ],
      },
      "collections[0].fields.rows.fields.d.defaultValue: must be an ISO 8601 date between 0100-01-01 and 9999-12-31",
    ],
    [
      "a required field defaulting to null",
      {
        collections: [
          { slug: "posts", fields: { t: { type: "text", required: true, defaultValue: null } } },
        ],
      },
      "collections[0].fields.t.defaultValue: a required field cannot default to null",
    ],
    [
      "a negative statement timeout",
      { collections: [posts], db: { statementTimeout: -1 } },
      "db.statementTimeout: must be a whole number of milliseconds (0 for no limit)",
    ],
  ])("reports %s", (_name, config, line) => {
    expect(problems(config)).toEqual([line]);
  });

  test("reports every problem, one line each, in one error", () => {
    const config = {
      collections: [
        { slug: "posts", fields: { author: { type: "relationship", relationTo: "nobody" } } },
        { slug: "posts", fields: {} },
      ],
      api: { cors: { origin: "*", credentials: true } },
    };
    const found = problems(config);
    expect(found).toHaveLength(3);
    let message = "";
    try {
      resolveConfig(config as LucentConfig);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split("\n")).toEqual([
      "Invalid Lucent configuration:",
      ...found.map((p) => `  - ${p}`),
    ]);
  });

  test("defaults that pass their field's rules, and function defaults, are accepted", () => {
    const fields = {
      s: { type: "select", options: ["a"], defaultValue: "a" },
      n: { type: "integer", min: 0, defaultValue: 0 },
      t: { type: "text", defaultValue: null },
      f: { type: "integer", min: 0, defaultValue: () => -1 },
    };
    expect(problems({ collections: [{ slug: "posts", fields }] })).toEqual([]);
  });

  test("a wildcard origin without credentials is allowed", () => {
    expect(problems({ collections: [posts], api: { cors: { origin: "*" } } })).toEqual([]);
  });

  test("fills the documented defaults", () => {
    const resolved = resolveConfig({ collections: [posts] });
    expect({
      statementTimeout: resolved.db.statementTimeout,
      prefix: resolved.api.prefix,
      dataDir: resolved.dataDir,
      migrations: resolved.migrations,
    }).toEqual({
      statementTimeout: 10_000,
      prefix: "/api",
      dataDir: ".lucent",
      migrations: { auto: true, dropOrphaned: false },
    });
  });
});
