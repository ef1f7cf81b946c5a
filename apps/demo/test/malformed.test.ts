/**
 * Malformed list queries and bodies (CONTRACT §4, §5): every one is a 4xx in
 * the error envelope, never a 500, and none of them changes the data.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { TestApp } from "./helpers.ts";
import { isEnvelope, startDemo, TEST_USER, userData, whereQuery } from "./helpers.ts";

type Doc = Record<string, unknown> & { id: string };

interface Case {
  name: string;
  method?: "GET" | "POST" | "PATCH" | "DELETE";
  /** A path, or a function of the fixture ids. */
  path: string | ((ids: Ids) => string);
  /** A raw string is sent as is; anything else as JSON. */
  body?: unknown | ((ids: Ids) => unknown);
  headers?: Record<string, string> | ((ids: Ids) => Record<string, string>);
  status: 400 | 404 | 409 | 413;
}

interface Ids {
  user: string;
  post: string;
  comment: string;
  missing: string;
  /** A bearer token of a user registered through @lucent/auth. */
  token: string;
}

const MISSING_ID = "01900000-0000-7000-8000-000000000000";
const nest = (levels: number): unknown => {
  let where: unknown = { title: { eq: "x" } };
  for (let i = 0; i < levels; i++) where = { [i % 2 ? "or" : "and"]: [where] };
  return where;
};
const posts = (query: string) => `/api/posts?${query}`;
const where = (w: unknown) => posts(whereQuery(w));
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
/** JSON text nested `levels` deep: arrays, or objects under the key "a". */
const deepJson = (levels: number, kind: "array" | "object" = "array") =>
  kind === "array"
    ? `${"[".repeat(levels)}${"]".repeat(levels)}`
    : `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;
/** A multipart body of text parts, as a browser form sends it. */
const multipart = (parts: Record<string, string>) => {
  const boundary = "lucent-test-boundary";
  const body = Object.entries(parts)
    .map(
      ([name, value]) =>
        `--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
    )
    .join("");
  return {
    method: "POST" as const,
    path: "/api/posts",
    body: `${body}--${boundary}--\r\n`,
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  };
};
const bearer = (ids: Ids) => ({ authorization: `Bearer ${ids.token}`, [TEST_USER]: "" });
const anonymous = { [TEST_USER]: "" };
/** Comment filters through a relationship path each, all different. */
const postPaths = [
  "post.id",
  "post.title",
  "post.slug",
  "post.status",
  "post.views",
  "post.rating",
  "post.publishedAt",
  "post.createdAt",
  "post.updatedAt",
  "post.author",
  "post.author.name",
].map((path) => ({ [path]: { exists: true } }));

const cases: Case[] = [
  // where: not JSON, not an object
  { name: "where that is not JSON", path: posts("where={bad"), status: 400 },
  {
    name: "where with a raw NUL inside JSON",
    path: posts("where=%7B%22title%22%3A%7B%22eq%22%3A%22a%00b%22%7D%7D"),
    status: 400,
  },
  { name: "where that is an array", path: posts("where=[]"), status: 400 },
  { name: "where that is a string", path: posts('where="title"'), status: 400 },
  { name: "where that is null", path: posts("where=null"), status: 400 },
  { name: "where that is empty", path: posts("where="), status: 400 },
  // where: fields and operators
  { name: "where on an unknown field", path: where({ nope: { eq: 1 } }), status: 400 },
  { name: "where with an unknown operator", path: where({ title: { regex: "a" } }), status: 400 },
  { name: "where with a bare value", path: where({ title: "x" }), status: 400 },
  { name: "where with no operator", path: where({ title: {} }), status: 400 },
  {
    name: "where with and that is not an array",
    path: where({ and: { title: { eq: "x" } } }),
    status: 400,
  },
  { name: "where with or holding a number", path: where({ or: [1] }), status: 400 },
  {
    name: "where with an injection in a field name",
    path: where({ "title; drop table posts": { eq: "x" } }),
    status: 400,
  },
  {
    name: "where with an injection in an operator",
    path: where({ title: { "eq; drop table posts": "x" } }),
    status: 400,
  },
  {
    name: "where with a NUL byte in a field name",
    path: where({ "tit\u0000le": { eq: "x" } }),
    status: 400,
  },
  {
    name: "where with a NUL byte in a value",
    path: where({ title: { eq: "a\u0000b" } }),
    status: 400,
  },
  {
    name: "where with a NUL byte in a like value",
    path: where({ title: { like: "\u0000" } }),
    status: 400,
  },
  {
    name: "where with a dotted path through a text field",
    path: where({ "title.x": { eq: "x" } }),
    status: 400,
  },
  {
    name: "where with a dotted path that is too long",
    path: `/api/comments?${whereQuery({ "post.author.x.y": { eq: 1 } })}`,
    status: 400,
  },
  {
    name: "where with a dotted path to an unknown field",
    path: `/api/comments?${whereQuery({ "post.nope": { eq: 1 } })}`,
    status: 400,
  },
  { name: "where nested 17 levels deep", path: where(nest(17)), status: 400 },
  { name: "where with 1,001 in values", path: where({ views: { in: range(1001) } }), status: 400 },
  {
    name: "where with 1,001 nin values",
    path: where({ views: { nin: range(1001) } }),
    status: 400,
  },
  {
    name: "where with a 10,001-character like",
    path: where({ title: { like: "x".repeat(10_001) } }),
    status: 400,
  },
  // where: wrong types per field type
  { name: "a string for an integer", path: where({ views: { eq: "ten" } }), status: 400 },
  { name: "a fraction for an integer", path: where({ views: { gt: 1.5 } }), status: 400 },
  { name: "2^31 for an integer", path: where({ views: { lt: 2 ** 31 } }), status: 400 },
  {
    name: "an injection string for an integer",
    path: where({ views: { eq: "' or 1=1 --" } }),
    status: 400,
  },
  { name: "a string for a number", path: where({ rating: { eq: "4" } }), status: 400 },
  { name: "1e400 for a number", path: posts('where={"rating":{"gt":1e400}}'), status: 400 },
  { name: "-1e400 for an integer", path: posts('where={"views":{"gt":-1e400}}'), status: 400 },
  { name: "a word for a date", path: where({ publishedAt: { gt: "yesterday" } }), status: 400 },
  { name: "a number for a date", path: where({ publishedAt: { eq: 12345 } }), status: 400 },
  { name: "an impossible date", path: where({ publishedAt: { eq: "2024-13-45" } }), status: 400 },
  {
    name: "a select value outside the options",
    path: where({ status: { eq: "archived" } }),
    status: 400,
  },
  {
    name: "an injection string for a select",
    path: where({ status: { eq: '"); select pg_sleep(5); --' } }),
    status: 400,
  },
  {
    name: "a multiselect value outside the options",
    path: where({ tags: { in: ["sports"] } }),
    status: 400,
  },
  { name: "gt on a multiselect", path: where({ tags: { gt: "news" } }), status: 400 },
  { name: "an invalid UUID for id", path: where({ id: { eq: "not-a-uuid" } }), status: 400 },
  {
    name: "an injection string for a relationship",
    path: where({ author: { eq: "' or 1=1 --" } }),
    status: 400,
  },
  { name: "like on an integer", path: where({ views: { like: "1" } }), status: 400 },
  { name: "like with a number", path: where({ title: { like: 1 } }), status: 400 },
  {
    name: "gt on a boolean",
    path: `/api/contacts?${whereQuery({ active: { gt: true } })}`,
    status: 400,
  },
  {
    name: "a string for a boolean",
    path: `/api/contacts?${whereQuery({ active: { eq: "true" } })}`,
    status: 400,
  },
  { name: "eq on a json field", path: where({ metadata: { eq: {} } }), status: 400 },
  { name: "exists that is not a boolean", path: where({ rating: { exists: "yes" } }), status: 400 },
  { name: "in that is not an array", path: where({ views: { in: 10 } }), status: 400 },
  { name: "null with gt", path: where({ views: { gt: null } }), status: 400 },
  // page, limit, depth
  ...(["page", "limit"] as const).flatMap((p) =>
    ["0", "-1", "1.5", "abc", "1e3", "", "1%00"].map((v) => ({
      name: `${p}=${v}`,
      path: posts(`${p}=${v}`),
      status: 400 as const,
    })),
  ),
  { name: "page given twice", path: posts("page=1&page=2"), status: 400 },
  { name: "limit given twice", path: posts("limit=1&limit=2"), status: 400 },
  ...["-1", "1.5", "abc", "1e3", ""].map((v) => ({
    name: `depth=${v}`,
    path: posts(`depth=${v}`),
    status: 400 as const,
  })),
  { name: "depth given twice", path: posts("depth=1&depth=1"), status: 400 },
  {
    name: "depth=abc on a document",
    path: (ids: Ids) => `/api/posts/${ids.post}?depth=abc`,
    status: 400,
  },
  // unknown parameters, sort and select
  { name: "an unknown query parameter", path: posts("foo=bar"), status: 400 },
  { name: "a NUL byte as a parameter name", path: posts("%00=1"), status: 400 },
  {
    name: "where on a document route",
    path: (ids: Ids) => `/api/posts/${ids.post}?where={}`,
    status: 400,
  },
  {
    name: "an unknown parameter on delete",
    path: (ids: Ids) => `/api/posts/${ids.post}?force=1`,
    method: "DELETE",
    status: 400,
  },
  { name: "sort on an unknown field", path: posts("sort=nope"), status: 400 },
  { name: "sort on a json field", path: posts("sort=metadata"), status: 400 },
  { name: "sort with an injection", path: posts("sort=title;drop table posts"), status: 400 },
  { name: "sort with a NUL byte", path: posts("sort=title%00"), status: 400 },
  { name: "sort that is empty", path: posts("sort="), status: 400 },
  { name: "sort naming a field twice", path: posts("sort=title,-title"), status: 400 },
  { name: "select of an unknown field", path: posts("select=title,nope"), status: 400 },
  {
    name: "select with an injection",
    path: posts(`select=${encodeURIComponent('title,"); select pg_sleep(5); --')}`),
    status: 400,
  },
  { name: "select with a NUL byte", path: posts("select=title%00"), status: 400 },
  { name: "select with an empty name", path: posts("select=title,,status"), status: 400 },
  // ids in the path: not a UUID is a 400 (CONTRACT §4), a UUID nobody has a 404
  { name: "an invalid UUID in the path", path: "/api/posts/not-a-uuid", status: 400 },
  { name: "a NUL byte in the path", path: "/api/posts/%00", status: 400 },
  { name: "an id nobody has", path: `/api/posts/${MISSING_ID}`, status: 404 },
  {
    name: "patch of an id nobody has",
    method: "PATCH",
    path: `/api/posts/${MISSING_ID}`,
    body: { title: "x" },
    status: 404,
  },
  {
    name: "delete of an invalid UUID",
    method: "DELETE",
    path: "/api/posts/1%20or%201=1",
    status: 400,
  },
  {
    name: "patch of an invalid UUID",
    method: "PATCH",
    path: "/api/posts/not-a-uuid",
    body: { title: "x" },
    status: 400,
  },
  { name: "a file download by an invalid UUID", path: "/api/posts/x/cover", status: 400 },
  // bodies: not a JSON object
  {
    name: "a body that is not JSON",
    method: "POST",
    path: "/api/posts",
    body: '{"title":',
    status: 400,
  },
  { name: "an empty body", method: "POST", path: "/api/posts", body: "", status: 400 },
  {
    name: "a body that is an array",
    method: "POST",
    path: "/api/posts",
    body: [{ title: "x" }],
    status: 400,
  },
  {
    name: "a body that is a string",
    method: "POST",
    path: "/api/posts",
    body: '"hello"',
    status: 400,
  },
  { name: "a body that is null", method: "POST", path: "/api/posts", body: "null", status: 400 },
  { name: "a body that is a number", method: "POST", path: "/api/posts", body: "42", status: 400 },
  {
    name: "a patch body that is an array",
    method: "PATCH",
    path: (ids: Ids) => `/api/posts/${ids.post}`,
    body: [],
    status: 400,
  },
  {
    name: "a JSON body sent as text/plain",
    method: "POST",
    path: "/api/posts",
    body: '{"title":"x"}',
    headers: { "content-type": "text/plain" },
    status: 400,
  },
  {
    name: "a JSON body sent as form data",
    method: "POST",
    path: "/api/posts",
    body: "title=x",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    status: 400,
  },
  {
    name: "a 2 MB body",
    method: "POST",
    path: "/api/posts",
    body: JSON.stringify({ title: "x", body: { text: "x".repeat(2 * 1024 * 1024) } }),
    status: 413,
  },
  // bodies: keys
  {
    name: "an unknown body key",
    method: "POST",
    path: "/api/posts",
    body: { title: "x", nope: 1 },
    status: 400,
  },
  {
    name: "a body key with an injection",
    method: "POST",
    path: "/api/posts",
    body: { "title; drop table posts": "x" },
    status: 400,
  },
  {
    name: "a body key with a NUL byte",
    method: "POST",
    path: "/api/posts",
    body: { title: "x", "ti\u0000tle": "y" },
    status: 400,
  },
  {
    name: "a __proto__ body key",
    method: "POST",
    path: "/api/posts",
    body: '{"title":"x","__proto__":{"role":"admin"}}',
    status: 400,
  },
  {
    name: "id in a create body",
    method: "POST",
    path: "/api/posts",
    body: { title: "x", id: MISSING_ID },
    status: 400,
  },
  {
    name: "createdAt in a create body",
    method: "POST",
    path: "/api/posts",
    body: { title: "x", createdAt: "2020-01-01T00:00:00Z" },
    status: 400,
  },
  {
    name: "id in a patch body",
    method: "PATCH",
    path: (ids: Ids) => `/api/posts/${ids.post}`,
    body: { id: MISSING_ID },
    status: 400,
  },
  {
    name: "updatedAt in a patch body",
    method: "PATCH",
    path: (ids: Ids) => `/api/posts/${ids.post}`,
    body: { updatedAt: "2020-01-01T00:00:00Z" },
    status: 400,
  },
  // bodies: values per field type
  { name: "a missing required field", method: "POST", path: "/api/posts", body: {}, status: 400 },
  {
    name: "a required field set to null on patch",
    method: "PATCH",
    path: (ids: Ids) => `/api/posts/${ids.post}`,
    body: { title: null },
    status: 400,
  },
  {
    name: "a number for text",
    method: "POST",
    path: "/api/posts",
    body: { title: 5 },
    status: 400,
  },
  {
    name: "a title of 201 characters",
    method: "POST",
    path: "/api/posts",
    body: { title: "x".repeat(201) },
    status: 400,
  },
  {
    name: "a NUL byte in a text value",
    method: "POST",
    path: "/api/posts",
    body: { title: "a\u0000b" },
    status: 400,
  },
  {
    name: "a NUL byte in richtext",
    method: "POST",
    path: "/api/posts",
    body: { title: "x", body: { text: "a\u0000b" } },
    status: 400,
  },
  {
    name: "a NUL byte in a json key",
    method: "POST",
    path: "/api/posts",
    body: { title: "x", metadata: { "a\u0000": 1 } },
    status: 400,
  },
  {
    name: "2^31 for an integer",
    method: "POST",
    path: "/api/posts",
    body: { title: "x", views: 2 ** 31 },
    status: 400,
  },
  {
    name: "an integer below its min",
    method: "POST",
    path: "/api/contacts",
    body: { email: "min@example.com", visits: -1 },
    status: 400,
  },
  {
    name: "a fraction for an integer",
    method: "POST",
    path: "/api/posts",
    body: { title: "x", views: 1.5 },
    status: 400,
  },
  {
    name: "a numeric string for an integer",
    method: "POST",
    path: "/api/posts",
    body: { title: "x", views: "10" },
    status: 400,
  },
  {
    name: "1e400 for a number",
    method: "POST",
    path: "/api/posts",
    body: '{"title":"x","rating":1e400}',
    status: 400,
  },
  {
    name: "a number above its max",
    method: "POST",
    path: "/api/contacts",
    body: { email: "max@example.com", score: 6 },
    status: 400,
  },
  {
    name: "a select value outside the options",
    method: "POST",
    path: "/api/posts",
    body: { title: "x", status: "archived" },
    status: 400,
  },
  {
    name: "a multiselect given as a string",
    method: "POST",
    path: "/api/posts",
    body: { title: "x", tags: "news" },
    status: 400,
  },
  {
    name: "a multiselect value outside the options",
    method: "POST",
    path: "/api/posts",
    body: { title: "x", tags: ["sports"] },
    status: 400,
  },
  {
    name: "a multiselect with a repeated value",
    method: "POST",
    path: "/api/posts",
    body: { title: "x", tags: ["news", "news"] },
    status: 400,
  },
  {
    name: "a word for a date",
    method: "POST",
    path: "/api/posts",
    body: { title: "x", publishedAt: "not a date" },
    status: 400,
  },
  {
    name: "an impossible date",
    method: "POST",
    path: "/api/posts",
    body: { title: "x", publishedAt: "2024-13-45" },
    status: 400,
  },
  {
    name: "an upload field in JSON",
    method: "POST",
    path: "/api/posts",
    body: { title: "x", cover: { key: "k" } },
    status: 400,
  },
  {
    name: "an invalid UUID for a relationship",
    method: "POST",
    path: "/api/posts",
    body: { title: "x", author: "not-a-uuid" },
    status: 400,
  },
  {
    name: "a related id that does not exist",
    method: "POST",
    path: "/api/posts",
    body: { title: "x", author: MISSING_ID },
    status: 400,
  },
  {
    name: "a comment on a post that does not exist",
    method: "POST",
    path: "/api/comments",
    body: { post: MISSING_ID, body: "x" },
    status: 400,
  },
  {
    name: "a comment without its post",
    method: "POST",
    path: "/api/comments",
    body: { body: "x" },
    status: 400,
  },
  {
    name: "a patch to a related id that does not exist",
    method: "PATCH",
    path: (ids: Ids) => `/api/comments/${ids.comment}`,
    body: { post: MISSING_ID },
    status: 400,
  },
  {
    name: "an invalid email",
    method: "POST",
    path: "/api/contacts",
    body: { email: "not-an-email" },
    status: 400,
  },
  {
    name: "a string for a boolean",
    method: "POST",
    path: "/api/contacts",
    body: { email: "b@example.com", active: "yes" },
    status: 400,
  },
  {
    name: "a role outside the options",
    method: "POST",
    path: "/api/users",
    body: { name: "x", email: "x@example.com", role: "root" },
    status: 400,
  },
  // names objects inherit are unknown names like any other (CONTRACT §5): these were 500s or accepted
  { name: "where on constructor", path: where({ constructor: { eq: 1 } }), status: 400 },
  {
    name: "where on hasOwnProperty",
    path: where({ hasOwnProperty: { exists: true } }),
    status: 400,
  },
  {
    name: "where on __proto__",
    path: posts(`where=${encodeURIComponent('{"__proto__":{"eq":1}}')}`),
    status: 400,
  },
  {
    name: "where on author.constructor",
    path: where({ "author.constructor": { eq: 1 } }),
    status: 400,
  },
  {
    name: "where on post.author.toString",
    path: `/api/comments?${whereQuery({ "post.author.toString": { eq: 1 } })}`,
    status: 400,
  },
  { name: "sort=constructor", path: posts("sort=constructor"), status: 400 },
  { name: "sort=-valueOf", path: posts("sort=-valueOf"), status: 400 },
  { name: "sort=__proto__", path: posts("sort=__proto__"), status: 400 },
  { name: "select=constructor", path: posts("select=constructor"), status: 400 },
  { name: "select=toString", path: posts("select=title,toString"), status: 400 },
  {
    name: "a constructor body key",
    method: "POST",
    path: "/api/posts",
    body: { title: "x", constructor: { name: "x" } },
    status: 400,
  },
  {
    name: "a toString body key",
    method: "PATCH",
    path: (ids: Ids) => `/api/posts/${ids.post}`,
    body: { toString: "x" },
    status: 400,
  },
  {
    name: "__proto__ in a multipart _payload",
    ...multipart({ _payload: '{"title":"x","__proto__":{"role":"admin"}}' }),
    status: 400,
  },
  {
    name: "constructor in a multipart _payload",
    ...multipart({ _payload: '{"title":"x","constructor":1}' }),
    status: 400,
  },
  {
    name: "a multipart part named constructor",
    ...multipart({ title: "x", constructor: "1" }),
    status: 400,
  },
  {
    name: "a multipart part named __proto__",
    ...multipart({ title: "x", ["__proto__"]: "1" }),
    status: 400,
  },
  {
    name: "a field both in _payload and as its own part",
    ...multipart({ _payload: '{"title":"x"}', title: "y" }),
    status: 400,
  },
  // dates Postgres cannot hold, or that the drivers read back wrong: these were 500s or changed
  {
    name: "where on a date in year 0",
    path: where({ createdAt: { gt: "0000-01-01" } }),
    status: 400,
  },
  {
    name: "where on a date that is year 10000 in UTC",
    path: where({ createdAt: { gt: "9999-12-31T23:59:59.999999999-23:59" } }),
    status: 400,
  },
  {
    name: "where on February 30th",
    path: where({ publishedAt: { eq: "2024-02-30" } }),
    status: 400,
  },
  {
    name: "a date in year 0",
    method: "POST",
    path: "/api/posts",
    body: { title: "x", publishedAt: "0000-01-01" },
    status: 400,
  },
  {
    name: "a date that is year 10000 in UTC",
    method: "POST",
    path: "/api/posts",
    body: { title: "x", publishedAt: "9999-12-31T23:59:59.999999999-23:59" },
    status: 400,
  },
  {
    name: "a date in year 99 (read back as 1999)",
    method: "PATCH",
    path: (ids: Ids) => `/api/posts/${ids.post}`,
    body: { publishedAt: "0099-12-31T00:00:00Z" },
    status: 400,
  },
  {
    name: "February 30th",
    method: "POST",
    path: "/api/posts",
    body: { title: "x", publishedAt: "2023-02-30" },
    status: 400,
  },
  // NUL bytes in any string that would reach SQL (a 500 on the auth routes)
  {
    name: "a NUL byte in a login email",
    method: "POST",
    path: "/api/auth/login",
    body: { email: "fixture\u0000@example.com", password: "correct horse battery staple" },
    headers: anonymous,
    status: 400,
  },
  {
    name: "a NUL byte in a registration name",
    method: "POST",
    path: "/api/auth/register",
    body: { email: "nul@example.com", password: "correct horse battery staple", name: "a\u0000" },
    headers: anonymous,
    status: 400,
  },
  {
    name: "a NUL byte in an API key name",
    method: "POST",
    path: "/api/auth/api-keys",
    body: { name: "key\u0000" },
    headers: bearer,
    status: 400,
  },
  {
    name: "a NUL byte in an email field",
    method: "POST",
    path: "/api/contacts",
    body: { email: "nul\u0000@example.com" },
    status: 400,
  },
  {
    name: "a NUL byte in a multipart text part",
    ...multipart({ title: "a\u0000b" }),
    status: 400,
  },
  {
    name: "a NUL byte in a multipart _payload",
    ...multipart({ _payload: '{"title":"a\\u0000b"}' }),
    status: 400,
  },
  {
    name: "a NUL byte in a where value on a date",
    path: where({ publishedAt: { eq: "2024-01-01\u0000" } }),
    status: 400,
  },
  // JSON nested 10,000 deep (a RangeError, a 500)
  {
    name: "a json field nested 10,000 deep (arrays)",
    method: "POST",
    path: "/api/posts",
    body: `{"title":"x","metadata":${deepJson(10_000)}}`,
    status: 400,
  },
  {
    name: "a json field nested 10,000 deep (objects)",
    method: "PATCH",
    path: (ids: Ids) => `/api/posts/${ids.post}`,
    body: `{"metadata":${deepJson(10_000, "object")}}`,
    status: 400,
  },
  {
    name: "richtext nested 10,000 deep in a multipart _payload",
    ...multipart({ _payload: `{"title":"x","body":${deepJson(10_000)}}` }),
    status: 400,
  },
  {
    name: "a where nested 10,000 deep",
    path: posts(`where=${deepJson(10_000, "object")}`),
    status: 400,
  },
  {
    name: "a login body nested 10,000 deep",
    method: "POST",
    path: "/api/auth/login",
    body: `{"email":${deepJson(10_000)}}`,
    headers: anonymous,
    status: 400,
  },
  // cost bounds (CONTRACT §4)
  {
    name: "a where of 101 conditions",
    path: where({ or: range(101).map((i) => ({ views: { eq: i } })) }),
    status: 400,
  },
  {
    name: "a where of 11 different relationship paths",
    path: `/api/comments?${whereQuery({ and: postPaths })}`,
    status: 400,
  },
  {
    name: "a where of 250 OR'd post.author.name terms",
    path: `/api/comments?${whereQuery({ or: range(250).map((i) => ({ "post.author.name": { like: `n${i}` } })) })}`,
    headers: anonymous,
    status: 400,
  },
  // conflicts
  {
    name: "a taken unique slug",
    method: "POST",
    path: "/api/posts",
    body: { title: "x", slug: "fixture-post" },
    status: 409,
  },
  {
    name: "a taken email in another casing",
    method: "POST",
    path: "/api/contacts",
    body: { email: "FIXTURE@example.com" },
    status: 409,
  },
];

const CODES = {
  400: "VALIDATION_ERROR",
  404: "NOT_FOUND",
  409: "CONFLICT",
  413: "PAYLOAD_TOO_LARGE",
} as const;

let app: TestApp;
let ids: Ids;

beforeAll(async () => {
  app = await startDemo();
  const user = await app.post("/api/users", userData(app.kernel, { name: "Fixture" }));
  const post = await app.post("/api/posts", {
    title: "Fixture post",
    slug: "fixture-post",
    author: (user.body as Doc).id,
    metadata: { a: 1 },
  });
  const comment = await app.post("/api/comments", {
    post: (post.body as Doc).id,
    body: "Fixture comment",
  });
  const contact = await app.post("/api/contacts", { email: "fixture@example.com", active: true });
  const registered = await app.request("POST", "/api/auth/register", {
    body: { email: "bearer@example.com", password: "correct horse battery staple" },
    headers: anonymous,
  });
  expect([user.status, post.status, comment.status, contact.status, registered.status]).toEqual([
    201, 201, 201, 201, 201,
  ]);
  ids = {
    user: (user.body as Doc).id,
    post: (post.body as Doc).id,
    comment: (comment.body as Doc).id,
    missing: MISSING_ID,
    token: (registered.body as { accessToken: string }).accessToken,
  };
}, 60_000);

afterAll(async () => {
  await app?.close();
});

async function snapshot(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const collection of ["users", "posts", "comments", "contacts"]) {
    out[collection] = await app.kernel.lucent.find({
      collection,
      overrideAccess: true,
      limit: 100,
      sort: "id",
    });
  }
  return out;
}

test("every malformed query or body is a 4xx in the error envelope and changes nothing", async () => {
  expect(cases.length).toBeGreaterThanOrEqual(60);
  const before = await snapshot();
  const outcomes = [];
  for (const c of cases) {
    const path = typeof c.path === "function" ? c.path(ids) : c.path;
    const body = typeof c.body === "function" ? (c.body as (ids: Ids) => unknown)(ids) : c.body;
    const headers = typeof c.headers === "function" ? c.headers(ids) : c.headers;
    const res = await app.request(c.method ?? "GET", path, {
      ...(body === undefined ? {} : { body }),
      ...(headers ? { headers } : {}),
    });
    const code = (res.body as { error?: { code?: string } } | null)?.error?.code;
    outcomes.push({ name: c.name, status: res.status, code, envelope: isEnvelope(res.body) });
  }
  expect(outcomes).toEqual(
    cases.map((c) => ({ name: c.name, status: c.status, code: CODES[c.status], envelope: true })),
  );
  expect(await snapshot()).toEqual(before);
});

test("regression: a 540 KB body of unknown keys gets a short error listing 20 problems (it was 2.2 MB)", async () => {
  const body = JSON.stringify(
    Object.fromEntries(range(24_000).map((i) => [`unknown_key_${i}`, i])),
  );
  expect(body.length).toBeGreaterThan(500_000);
  const before = await snapshot();
  const res = await app.request("POST", "/api/contacts", { body });
  const error = (res.body as { error: { message: string; details: unknown[] } }).error;
  expect(res.status).toBe(400);
  expect(isEnvelope(res.body)).toBe(true);
  expect(error.details).toHaveLength(20);
  expect(error.message).toBe("unknown_key_0: unknown field (and 23980 more problems not listed)");
  expect(JSON.stringify(res.body).length).toBeLessThan(4_000);
  expect(await snapshot()).toEqual(before);
});

test.each([
  [
    "regression: a number over its max (it said: must be a number)",
    { score: 6 },
    "must be at most 5",
  ],
  ["regression: a string for a number (it said: is required)", { score: "4" }, "must be a number"],
  ["an integer under its min", { visits: -1 }, "must be at least 0"],
])("field messages say what is wrong: %s", async (_name, fields, message) => {
  const res = await app.post("/api/contacts", { email: "messages@example.com", ...fields });
  const field = Object.keys(fields)[0]!;
  expect(res.status).toBe(400);
  expect((res.body as { error: { details: unknown } }).error.details).toEqual([
    { path: field, message },
  ]);
});
