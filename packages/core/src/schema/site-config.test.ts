/** CONTRACT §1's short form, expanded to the plain one: modules loaded by their keys, one line per problem. */
import { describe, expect, test } from "bun:test";
import { ConfigError } from "../http/errors.ts";
import type { LucentModule } from "../kernel/kernel.ts";
import { defineCollection } from "./collection.ts";
import { expandSiteConfig, type LucentSiteConfig, type PackageLoader } from "./site-config.ts";

const Posts = defineCollection({ slug: "posts", fields: { title: { type: "text" } } });
const Tags = defineCollection({ slug: "tags", fields: { name: { type: "text" } } });

/** Packages as an app would have them installed: a factory recording its options. */
const installed = (names: string[]): PackageLoader => {
  return async (pkg) => {
    if (!names.includes(pkg)) throw new Error(`Cannot find package '${pkg}'`);
    const factory = pkg.split("/")[1]!;
    return {
      [factory]: (options: unknown): LucentModule => ({ name: pkg, options }),
    };
  };
};

const problemsOf = async (config: LucentSiteConfig, load: PackageLoader) => {
  try {
    await expandSiteConfig(config, load);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error("expected a ConfigError");
};

describe("the short form", () => {
  test("a module key loads its package with its options, as if it were in modules", async () => {
    const config = await expandSiteConfig(
      {
        collections: [Posts],
        auth: { strategies: ["jwt"] },
        openapi: { enabled: true, path: "/api/docs" },
        secrets: true,
        realtime: { enabled: false },
        audit: false,
      },
      installed(["@lucent/auth", "@lucent/openapi", "@lucent/secrets", "@lucent/realtime"]),
    );
    expect(config.modules?.map((m) => [m.name, m.options])).toEqual([
      ["@lucent/auth", { strategies: ["jwt"] }],
      ["@lucent/openapi", { path: "/api/docs" }],
      ["@lucent/secrets", {}],
    ]);
    expect(Object.keys(config)).not.toContain("auth");
  });

  test("modules given explicitly come first and stay as they are", async () => {
    const own: LucentModule = { name: "own" };
    const config = await expandSiteConfig(
      { collections: [Posts], modules: [own], openapi: {} },
      installed(["@lucent/openapi"]),
    );
    expect(config.modules?.map((m) => m.name)).toEqual(["own", "@lucent/openapi"]);
  });

  test("collections may be an object", async () => {
    const config = await expandSiteConfig({ collections: { Posts, Tags } }, installed([]));
    expect(config.collections.map((c) => c.slug)).toEqual(["posts", "tags"]);
  });

  test('db.adapter "postgres" and "pglite" become the plain db options', async () => {
    const pg = await expandSiteConfig(
      {
        collections: [],
        db: { adapter: "postgres", url: "postgres://localhost/app", poolSize: 4 },
      },
      installed([]),
    );
    expect(pg.db).toEqual({ url: "postgres://localhost/app", poolSize: 4 });
    const embedded = await expandSiteConfig(
      { collections: [], db: { adapter: "pglite" } },
      installed([]),
    );
    expect(embedded.db).toEqual({});
  });

  test("every problem is one line: a package to add, a clash, a missing url", async () => {
    const problems = await problemsOf(
      {
        collections: [],
        db: { adapter: "postgres" },
        auth: {},
        openapi: { path: "/docs" },
        modules: [{ name: "@lucent/openapi" }],
        secrets: "yes" as unknown as boolean,
      },
      installed(["@lucent/openapi"]),
    );
    expect(problems).toEqual([
      "auth: needs the package @lucent/auth, which is not installed (bun add @lucent/auth)",
      "openapi: @lucent/openapi is in modules too; configure it in one place",
      "secrets: must be true, false or the options of @lucent/secrets",
      'db.url: required with adapter "postgres" (e.g. Bun.env.DATABASE_URL)',
    ]);
  });

  test("a package without its factory is named, not called", async () => {
    const problems = await problemsOf({ collections: [], auth: {} }, async () => ({}));
    expect(problems).toEqual(["auth: @lucent/auth has no auth() to call; is it an older version?"]);
  });
});
