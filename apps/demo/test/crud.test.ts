/**
 * The demo as a newcomer meets it over HTTP: create, list with the whole
 * query language, read, update and delete, with the contract's shapes.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Doc, PaginatedDocs } from "@lucent/core";
import type { ApiResponse, TestApp } from "./helpers.ts";
import {
  expectError,
  ISO_8601,
  isEnvelope,
  startDemo,
  UUID_V7,
  userData,
  whereQuery,
} from "./helpers.ts";

type ListBody = PaginatedDocs<Doc>;

let app: TestApp;
const users: Record<string, Doc> = {};
const posts: Record<string, Doc> = {};
const comments: Record<string, Doc> = {};

async function created(res: Promise<ApiResponse>): Promise<Doc> {
  const r = await res;
  expect(r.status).toBe(201);
  return r.body as Doc;
}

async function list(query: string): Promise<ListBody> {
  const res = await app.get(`/api/posts?${query}`);
  if (res.status !== 200)
    throw new Error(`GET /api/posts?${query}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as ListBody;
}

async function titles(query: string): Promise<string[]> {
  return (await list(`${query}&limit=100`)).docs.map((d) => d.title as string);
}

async function matching(where: unknown): Promise<string[]> {
  return (await titles(whereQuery(where))).sort();
}

beforeAll(async () => {
  app = await startDemo();
  users.ada = await created(
    app.post("/api/users", userData(app.kernel, { name: "Ada", role: "admin" })),
  );
  users.grace = await created(app.post("/api/users", userData(app.kernel, { name: "Grace" })));
  const fixtures: Array<[string, Record<string, unknown>]> = [
    [
      "alpha",
      {
        title: "Alpha news",
        slug: "alpha-news",
        status: "published",
        tags: ["news"],
        views: 10,
        rating: 4.5,
        publishedAt: "2024-01-01T00:00:00.000Z",
        author: users.ada!.id,
        metadata: { source: "fixture" },
      },
    ],
    [
      "beta",
      {
        title: "Beta 100% tech",
        status: "draft",
        tags: ["tech", "news"],
        views: 20,
        rating: 3,
        author: users.grace!.id,
      },
    ],
    [
      "gamma",
      {
        title: "Gamma_life",
        status: "published",
        tags: ["life"],
        views: 30,
        rating: 2.25,
        publishedAt: "2024-06-01T12:00:00+02:00",
        author: users.ada!.id,
      },
    ],
    ["delta", { title: "delta NEWS", tags: ["news", "tech"], views: 20 }],
    [
      "epsilon",
      {
        title: "Epsilon",
        status: "published",
        views: 0,
        rating: 5,
        publishedAt: "2025-01-01T00:00:00Z",
        author: users.grace!.id,
      },
    ],
  ];
  for (const [key, data] of fixtures) posts[key] = await created(app.post("/api/posts", data));
  comments.onAlpha = await created(
    app.post("/api/comments", { post: posts.alpha!.id, body: "First!" }),
  );
  comments.onBeta = await created(
    app.post("/api/comments", { post: posts.beta!.id, body: "A draft?" }),
  );
  comments.onEpsilon = await created(
    app.post("/api/comments", { post: posts.epsilon!.id, body: "Late" }),
  );
  // Documents an admin creates without an author get the admin as author;
  // these fixtures are meant to have none.
  const unauthored = { data: { author: null }, overrideAccess: true } as const;
  posts.delta = await app.kernel.lucent.update({
    collection: "posts",
    id: posts.delta!.id,
    ...unauthored,
  });
  for (const key of Object.keys(comments)) {
    comments[key] = await app.kernel.lucent.update({
      collection: "comments",
      id: comments[key]!.id,
      ...unauthored,
    });
  }
}, 60_000);

afterAll(async () => {
  await app?.close();
});

describe("documents as created", () => {
  test("every document gets a UUIDv7 id and ISO 8601 timestamps", () => {
    for (const doc of [
      ...Object.values(users),
      ...Object.values(posts),
      ...Object.values(comments),
    ]) {
      expect(doc.id).toMatch(UUID_V7);
      expect(doc.createdAt).toMatch(ISO_8601);
      expect(doc.updatedAt).toMatch(ISO_8601);
    }
  });

  test("a created post is returned whole, with defaults and JSON numbers", () => {
    expect(posts.alpha).toEqual({
      id: posts.alpha!.id,
      title: "Alpha news",
      slug: "alpha-news",
      body: null,
      status: "published",
      author: users.ada!.id,
      tags: ["news"],
      views: 10,
      rating: 4.5,
      publishedAt: "2024-01-01T00:00:00.000Z",
      metadata: { source: "fixture" },
      cover: null,
      createdAt: posts.alpha!.createdAt,
      updatedAt: posts.alpha!.updatedAt,
    });
    expect(posts.delta!.status).toBe("draft");
    expect(typeof posts.gamma!.rating).toBe("number");
    expect(posts.gamma!.rating).toBe(2.25);
  });

  test("dates with an offset are stored and returned as ISO 8601 in UTC", () => {
    expect(posts.gamma!.publishedAt).toBe("2024-06-01T10:00:00.000Z");
    expect(posts.epsilon!.publishedAt).toBe("2025-01-01T00:00:00.000Z");
  });

  test("an email is stored lower-case and found by any casing", async () => {
    const contact = await created(
      app.post("/api/contacts", { email: "Ada.Lovelace@Example.COM", active: true }),
    );
    expect(contact.email).toBe("ada.lovelace@example.com");
    const res = await app.get(
      `/api/contacts?${whereQuery({ email: { eq: "ADA.LOVELACE@example.com" } })}`,
    );
    expect((res.body as ListBody).docs.map((d) => d.id)).toEqual([contact.id]);
    expect((await app.del(`/api/contacts/${contact.id}`)).status).toBe(200);
  });
});

describe("where operators", () => {
  const cases: Array<[string, unknown, string[]]> = [
    ["eq on a select", { status: { eq: "published" } }, ["Alpha news", "Epsilon", "Gamma_life"]],
    ["neq on a select", { status: { neq: "published" } }, ["Beta 100% tech", "delta NEWS"]],
    ["eq on an integer", { views: { eq: 20 } }, ["Beta 100% tech", "delta NEWS"]],
    ["neq on an integer", { views: { neq: 20 } }, ["Alpha news", "Epsilon", "Gamma_life"]],
    ["gt on an integer", { views: { gt: 10 } }, ["Beta 100% tech", "Gamma_life", "delta NEWS"]],
    ["gte on an integer", { views: { gte: 20 } }, ["Beta 100% tech", "Gamma_life", "delta NEWS"]],
    ["lt on an integer", { views: { lt: 20 } }, ["Alpha news", "Epsilon"]],
    ["lte on an integer", { views: { lte: 10 } }, ["Alpha news", "Epsilon"]],
    ["gt on a number", { rating: { gt: 3 } }, ["Alpha news", "Epsilon"]],
    ["lte on a number", { rating: { lte: 3 } }, ["Beta 100% tech", "Gamma_life"]],
    ["eq on a fractional number", { rating: { eq: 2.25 } }, ["Gamma_life"]],
    ["gt on a date", { publishedAt: { gt: "2024-03-01T00:00:00Z" } }, ["Epsilon", "Gamma_life"]],
    ["lt on a date", { publishedAt: { lt: "2024-03-01" } }, ["Alpha news"]],
    ["in on an integer", { views: { in: [10, 30] } }, ["Alpha news", "Gamma_life"]],
    [
      "nin on an integer",
      { views: { nin: [10, 30] } },
      ["Beta 100% tech", "Epsilon", "delta NEWS"],
    ],
    ["in on a select", { status: { in: ["draft"] } }, ["Beta 100% tech", "delta NEWS"]],
    [
      "exists true",
      { rating: { exists: true } },
      ["Alpha news", "Beta 100% tech", "Epsilon", "Gamma_life"],
    ],
    ["exists false", { publishedAt: { exists: false } }, ["Beta 100% tech", "delta NEWS"]],
    ["exists false on a relationship", { author: { exists: false } }, ["delta NEWS"]],
    ["exists on a json field", { metadata: { exists: true } }, ["Alpha news"]],
    ["like, case-insensitive", { title: { like: "NeWs" } }, ["Alpha news", "delta NEWS"]],
    ["like with a literal %", { title: { like: "%" } }, ["Beta 100% tech"]],
    ["like with a literal _", { title: { like: "a_l" } }, ["Gamma_life"]],
    ["like with a lone _", { title: { like: "_" } }, ["Gamma_life"]],
    ["eq on text with an injection string", { title: { eq: "' or 1=1 --" } }, []],
    ["like with an injection string", { title: { like: '"); select pg_sleep(5); --' } }, []],
    [
      "multiselect in means any overlap",
      { tags: { in: ["life", "tech"] } },
      ["Beta 100% tech", "Gamma_life", "delta NEWS"],
    ],
    ["multiselect nin means no overlap", { tags: { nin: ["news"] } }, ["Epsilon", "Gamma_life"]],
    [
      "multiselect eq is the same set in any order",
      { tags: { eq: ["news", "tech"] } },
      ["Beta 100% tech", "delta NEWS"],
    ],
    ["multiselect eq does not match a superset", { tags: { eq: ["news"] } }, ["Alpha news"]],
    [
      "multiselect neq is a different set",
      { tags: { neq: ["tech", "news"] } },
      ["Alpha news", "Epsilon", "Gamma_life"],
    ],
    [
      "and combines conditions",
      { and: [{ status: { eq: "published" } }, { views: { gte: 10 } }] },
      ["Alpha news", "Gamma_life"],
    ],
    [
      "or nests and",
      {
        or: [
          { status: { eq: "draft" } },
          { and: [{ views: { gte: 30 } }, { tags: { in: ["life"] } }] },
        ],
      },
      ["Beta 100% tech", "Gamma_life", "delta NEWS"],
    ],
    [
      "and nests or beside a field condition",
      { views: { lt: 30 }, or: [{ rating: { gte: 4.5 } }, { tags: { in: ["tech"] } }] },
      ["Alpha news", "Beta 100% tech", "Epsilon", "delta NEWS"],
    ],
    [
      "two operators on one field",
      { views: { gt: 0, lt: 30 } },
      ["Alpha news", "Beta 100% tech", "delta NEWS"],
    ],
  ];

  test.each(cases)("%s", async (_name, where, expected) => {
    expect(await matching(where)).toEqual([...expected].sort());
  });

  test("eq on id finds exactly that document", async () => {
    expect(await matching({ id: { eq: posts.gamma!.id } })).toEqual(["Gamma_life"]);
  });

  test("eq and in on a relationship match by id, in any casing", async () => {
    expect(await matching({ author: { eq: users.ada!.id.toUpperCase() } })).toEqual([
      "Alpha news",
      "Gamma_life",
    ]);
    expect(await matching({ author: { in: [users.grace!.id] } })).toEqual([
      "Beta 100% tech",
      "Epsilon",
    ]);
    expect(await matching({ author: { nin: [users.grace!.id] } })).toEqual([
      "Alpha news",
      "Gamma_life",
      "delta NEWS",
    ]);
  });

  test("a dotted path follows a relationship", async () => {
    const res = await app.get(
      `/api/comments?${whereQuery({ "post.status": { eq: "published" } })}`,
    );
    expect(res.status).toBe(200);
    const ids = (res.body as ListBody).docs.map((d) => d.id).sort();
    expect(ids).toEqual([comments.onAlpha!.id, comments.onEpsilon!.id].sort());
  });

  test("a dotted path may follow two relationships", async () => {
    const res = await app.get(
      `/api/comments?${whereQuery({ "post.author.name": { eq: "Grace" } })}`,
    );
    expect(res.status).toBe(200);
    const ids = (res.body as ListBody).docs.map((d) => d.id).sort();
    expect(ids).toEqual([comments.onBeta!.id, comments.onEpsilon!.id].sort());
  });

  test("an injection string as a value leaves the data as it was", async () => {
    await matching({ title: { eq: "x'; drop table posts; --" } });
    expect((await list("limit=100")).totalDocs).toBe(5);
  });
});

describe("sorting", () => {
  test("the default order is newest first", async () => {
    expect(await titles("")).toEqual([
      "Epsilon",
      "delta NEWS",
      "Gamma_life",
      "Beta 100% tech",
      "Alpha news",
    ]);
  });

  test("ascending ties are broken by id ascending", async () => {
    expect(await titles("sort=views")).toEqual([
      "Epsilon",
      "Alpha news",
      "Beta 100% tech",
      "delta NEWS",
      "Gamma_life",
    ]);
  });

  test("descending ties are broken by id descending", async () => {
    expect(await titles("sort=-views")).toEqual([
      "Gamma_life",
      "delta NEWS",
      "Beta 100% tech",
      "Alpha news",
      "Epsilon",
    ]);
  });

  test("several keys sort in order, each in its own direction", async () => {
    // Postgres order: a missing value sorts as the largest (last ascending, first descending).
    expect(await titles("sort=-views,-rating")).toEqual([
      "Gamma_life",
      "delta NEWS",
      "Beta 100% tech",
      "Alpha news",
      "Epsilon",
    ]);
    expect(await titles("sort=status,-views")).toEqual([
      "delta NEWS",
      "Beta 100% tech",
      "Gamma_life",
      "Alpha news",
      "Epsilon",
    ]);
  });

  test("createdAt sorts both ways", async () => {
    expect(await titles("sort=createdAt")).toEqual([
      "Alpha news",
      "Beta 100% tech",
      "Gamma_life",
      "delta NEWS",
      "Epsilon",
    ]);
    expect(await titles("sort=-createdAt")).toEqual([
      "Epsilon",
      "delta NEWS",
      "Gamma_life",
      "Beta 100% tech",
      "Alpha news",
    ]);
  });
});

describe("paging", () => {
  test("the envelope describes the first page", async () => {
    const body = await list("limit=2");
    expect({ ...body, docs: body.docs.map((d) => d.title) }).toEqual({
      docs: ["Epsilon", "delta NEWS"],
      totalDocs: 5,
      page: 1,
      limit: 2,
      totalPages: 3,
      hasNextPage: true,
      hasPrevPage: false,
    });
  });

  test("the last page has what is left", async () => {
    const body = await list("limit=2&page=3");
    expect({ ...body, docs: body.docs.map((d) => d.title) }).toEqual({
      docs: ["Alpha news"],
      totalDocs: 5,
      page: 3,
      limit: 2,
      totalPages: 3,
      hasNextPage: false,
      hasPrevPage: true,
    });
  });

  test("a page beyond the end is empty and says so", async () => {
    expect(await list("limit=2&page=9")).toEqual({
      docs: [],
      totalDocs: 5,
      page: 9,
      limit: 2,
      totalPages: 3,
      hasNextPage: false,
      hasPrevPage: true,
    });
  });

  test("the default limit is 10", async () => {
    const body = await list("");
    expect({ limit: body.limit, page: body.page, totalPages: body.totalPages }).toEqual({
      limit: 10,
      page: 1,
      totalPages: 1,
    });
  });

  test("a limit over 100 is capped at 100 and the envelope says 100", async () => {
    const body = await list("limit=500");
    expect({ limit: body.limit, docs: body.docs.length, totalPages: body.totalPages }).toEqual({
      limit: 100,
      docs: 5,
      totalPages: 1,
    });
  });

  test("regression: a limit of more than nine digits is capped at 100, not refused", async () => {
    expect((await list("limit=10000000000")).limit).toBe(100);
    const deep = await app.get(`/api/comments/${comments.onAlpha!.id}?depth=10000000000`);
    expect((deep.body as Doc).post).toEqual({ ...posts.alpha!, author: users.ada });
  });

  test("a very large page is an empty page", async () => {
    const body = await list("page=10000000000&limit=100");
    expect({ docs: body.docs, page: body.page, totalDocs: body.totalDocs }).toEqual({
      docs: [],
      page: 10_000_000_000,
      totalDocs: 5,
    });
  });

  test("an empty result has zero pages", async () => {
    expect(await list(whereQuery({ views: { gt: 1000 } }))).toEqual({
      docs: [],
      totalDocs: 0,
      page: 1,
      limit: 10,
      totalPages: 0,
      hasNextPage: false,
      hasPrevPage: false,
    });
  });
});

describe("depth and select", () => {
  const comment = async (query: string) => {
    const res = await app.get(`/api/comments/${comments.onAlpha!.id}${query}`);
    expect(res.status).toBe(200);
    return res.body as Doc;
  };
  const user = (key: string) => users[key]!;

  test("depth 0 returns relationship ids", async () => {
    expect(await comment("")).toEqual({ ...comments.onAlpha! });
    expect((await comment("?depth=0")).post).toBe(posts.alpha!.id);
  });

  test("depth 1 replaces ids with the related documents", async () => {
    expect(await comment("?depth=1")).toEqual({ ...comments.onAlpha!, post: { ...posts.alpha! } });
  });

  test("depth 2 goes one level further", async () => {
    expect(await comment("?depth=2")).toEqual({
      ...comments.onAlpha!,
      post: { ...posts.alpha!, author: user("ada") },
    });
  });

  test("a depth over 2 is capped at 2", async () => {
    expect(await comment("?depth=5")).toEqual(await comment("?depth=2"));
  });

  test("depth applies to every document of a list", async () => {
    const res = await app.get(
      `/api/posts?depth=1&sort=createdAt&${whereQuery({ author: { exists: true } })}`,
    );
    const authors = (res.body as ListBody).docs.map((d) => d.author);
    expect(authors).toEqual([user("ada"), user("grace"), user("ada"), user("grace")]);
  });

  test("select returns the named fields and always the id", async () => {
    const body = await list("select=title,status&sort=createdAt&limit=1");
    expect(body.docs).toEqual([{ id: posts.alpha!.id, title: "Alpha news", status: "published" }]);
  });

  test("select of id alone returns only ids", async () => {
    expect((await list("select=id&sort=createdAt&limit=1")).docs).toEqual([
      { id: posts.alpha!.id },
    ]);
  });

  test("select on a document, with depth, populates the selected relationship", async () => {
    expect(await comment("?select=post&depth=1")).toEqual({
      id: comments.onAlpha!.id,
      post: { ...posts.alpha! },
    });
  });
});

describe("get, update and delete", () => {
  test("a post goes through its whole life", async () => {
    const post = await created(app.post("/api/posts", { title: "Scratch post", rating: 1.5 }));
    // No hook invents a slug (CONTRACT §14): the field holds what the client sent, nothing.
    expect(post.slug).toBeNull();

    const got = await app.get(`/api/posts/${post.id}`);
    expect({ status: got.status, body: got.body }).toEqual({ status: 200, body: post });

    const patched = await app.patch(`/api/posts/${post.id}`, {
      title: "Scratch post, edited",
      views: 3,
    });
    expect(patched.status).toBe(200);
    const edited = patched.body as Doc;
    expect(edited).toEqual({
      ...post,
      title: "Scratch post, edited",
      views: 3,
      updatedAt: edited.updatedAt,
    });
    expect(Date.parse(edited.updatedAt as string)).toBeGreaterThanOrEqual(
      Date.parse(post.updatedAt as string),
    );

    const deleted = await app.del(`/api/posts/${post.id}`);
    expect({ status: deleted.status, body: deleted.body }).toEqual({ status: 200, body: edited });

    expectError(await app.get(`/api/posts/${post.id}`), 404, "NOT_FOUND");
    expectError(await app.del(`/api/posts/${post.id}`), 404, "NOT_FOUND");
    expectError(await app.patch(`/api/posts/${post.id}`, { title: "again" }), 404, "NOT_FOUND");
  });

  test("patch with null clears an optional field", async () => {
    const post = await created(app.post("/api/posts", { title: "Clear me", rating: 2 }));
    const res = await app.patch(`/api/posts/${post.id}`, { rating: null });
    expect({ status: res.status, rating: (res.body as Doc).rating }).toEqual({
      status: 200,
      rating: null,
    });
    await app.del(`/api/posts/${post.id}`);
  });

  test("deleting a post deletes its comments", async () => {
    const post = await created(app.post("/api/posts", { title: "Short-lived" }));
    const comment = await created(app.post("/api/comments", { post: post.id, body: "bye" }));
    expect((await app.del(`/api/posts/${post.id}`)).status).toBe(200);
    expectError(await app.get(`/api/comments/${comment.id}`), 404, "NOT_FOUND");
  });

  test("a duplicate unique value is a 409 in the envelope", async () => {
    const res = await app.post("/api/posts", { title: "Another alpha", slug: "alpha-news" });
    const body = expectError(res, 409, "CONFLICT");
    expect(body.error.details).toEqual([{ path: "slug", message: "already exists" }]);
  });

  test("a duplicate email in another casing is a 409", async () => {
    const first = await created(app.post("/api/contacts", { email: "grace@example.com" }));
    expectError(await app.post("/api/contacts", { email: "GRACE@example.com" }), 409, "CONFLICT");
    await app.del(`/api/contacts/${first.id}`);
  });

  test("updating to a taken unique value is a 409 and changes nothing", async () => {
    const res = await app.patch(`/api/posts/${posts.beta!.id}`, { slug: "alpha-news" });
    expectError(res, 409, "CONFLICT");
    expect(((await app.get(`/api/posts/${posts.beta!.id}`)).body as Doc).slug).toBe(
      posts.beta!.slug,
    );
  });

  test("the fixture set is intact after the writes above", async () => {
    expect((await list("")).totalDocs).toBe(5);
  });
});

describe("requests and responses", () => {
  test("a sane X-Request-Id is kept and echoed", async () => {
    const id = "client-42.trace:A_b";
    const res = await app.get("/api/posts?limit=1", { "x-request-id": id });
    expect(res.headers.get("x-request-id")).toBe(id);
  });

  test("a 128-character X-Request-Id is still sane", async () => {
    const id = "a".repeat(128);
    expect((await app.get("/api/health", { "x-request-id": id })).headers.get("x-request-id")).toBe(
      id,
    );
  });

  test.each([
    ["too long", "a".repeat(200)],
    ["with spaces", "hello world"],
    ["with a slash", "a/b"],
    ["with quotes", '"x"'],
  ])("an X-Request-Id %s is replaced by a generated one", async (_name, sent) => {
    const res = await app.get("/api/posts?limit=1", { "x-request-id": sent });
    const echoed = res.headers.get("x-request-id")!;
    expect(echoed).not.toBe(sent);
    expect(echoed).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
  });

  test("an error response carries the request id in header and envelope", async () => {
    const res = await app.get("/api/posts/not-an-id", { "x-request-id": "req-400" });
    const body = expectError(res, 400, "VALIDATION_ERROR");
    expect(body.error.requestId).toBe("req-400");
  });

  test("every response gets a fresh id when none is sent", async () => {
    const a = (await app.get("/api/health")).headers.get("x-request-id");
    const b = (await app.get("/api/health")).headers.get("x-request-id");
    expect(a).toBeTruthy();
    expect(a).not.toBe(b);
  });

  test("health reports ok with the database check", async () => {
    const res = await app.get("/api/health");
    expect(res.status).toBe(200);
    const body = res.body as { status: string; checks: Record<string, string> };
    expect(body.status).toBe("ok");
    expect(body.checks.db).toBe("ok");
    expect(Object.values(body.checks).every((c) => c === "ok")).toBe(true);
  });

  test.each([
    ["a list", "GET", "/api/posts"],
    ["health", "GET", "/api/health"],
    ["an error", "GET", "/api/nowhere"],
    ["a failed write", "POST", "/api/posts"],
  ])("security headers are on %s", async (_name, method, path) => {
    const res = await app.fetch(path, { method });
    expect({
      nosniff: res.headers.get("x-content-type-options"),
      frame: res.headers.get("x-frame-options"),
      referrer: res.headers.get("referrer-policy"),
      coop: res.headers.get("cross-origin-opener-policy"),
      poweredBy: res.headers.get("x-powered-by"),
    }).toEqual({
      nosniff: "nosniff",
      frame: "DENY",
      referrer: "no-referrer",
      coop: "same-origin",
      poweredBy: null,
    });
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
  });

  test.each([
    ["GET", "/api/nowhere"],
    ["GET", "/api/posts/a/b/c"],
    ["POST", "/api/nowhere"],
    ["PUT", `/api/posts`],
  ])("%s %s is a 404 envelope", async (method, path) => {
    const res = await app.request(method, path);
    expectError(res, 404, "NOT_FOUND");
    expect(isEnvelope(res.body)).toBe(true);
  });

  test("regression: the bare prefix /api is a 404 envelope, not Elysia's text", async () => {
    expectError(await app.request("DELETE", "/api"), 404, "NOT_FOUND");
    expectError(await app.request("GET", "/api"), 404, "NOT_FOUND");
  });
});
