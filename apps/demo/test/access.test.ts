/**
 * The demo's access rules (CONTRACT §14) with two users and an anonymous
 * caller: what each may list, read, change and delete, field by field.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Doc } from "@lucent/core";
import type { ApiResponse, TestApp } from "./helpers.ts";
import { expectError, startDemo, TEST_USER, userData, whereQuery } from "./helpers.ts";

let app: TestApp;
let alice: Doc;
let bob: Doc;
const posts: Record<string, Doc> = {};
const comments: Record<string, Doc> = {};

const as = (user: Doc | null) => ({ [TEST_USER]: user ? user.id : "" });
const get = (path: string, user: Doc | null) => app.get(path, as(user));
const patch = (path: string, body: unknown, user: Doc | null) => app.patch(path, body, as(user));
const del = (path: string, user: Doc | null) => app.request("DELETE", path, { headers: as(user) });
const post = (path: string, body: unknown, user: Doc | null) => app.post(path, body, as(user));
const ok = async (res: Promise<ApiResponse>, status = 200): Promise<Doc> => {
  const r = await res;
  expect(r.status).toBe(status);
  return r.body as Doc;
};
const titles = (res: ApiResponse) => (res.body as { docs: Doc[] }).docs.map((d) => d.title).sort();

beforeAll(async () => {
  app = await startDemo();
  const local = app.kernel.lucent;
  alice = await local.create({
    collection: "users",
    data: userData(app.kernel, { name: "Alice" }),
    overrideAccess: true,
  });
  bob = await local.create({
    collection: "users",
    data: userData(app.kernel, { name: "Bob" }),
    overrideAccess: true,
  });
  posts.aliceDraft = await ok(post("/api/posts", { title: "Alice draft" }, alice), 201);
  posts.alicePublished = await ok(
    post("/api/posts", { title: "Alice published", status: "published" }, alice),
    201,
  );
  posts.bobDraft = await ok(post("/api/posts", { title: "Bob draft" }, bob), 201);
  comments.onPublished = await ok(
    post("/api/comments", { post: posts.alicePublished!.id, body: "nice" }, bob),
    201,
  );
  comments.onDraft = await ok(
    post("/api/comments", { post: posts.aliceDraft!.id, body: "note to self" }, alice),
    201,
  );
}, 60_000);

afterAll(async () => {
  await app?.close();
});

describe("users", () => {
  test("the first user became an admin, the next ones are users", () => {
    expect(app.admin).toMatchObject({ role: "admin" });
    expect([alice.role, bob.role]).toEqual(["user", "user"]);
  });

  test("anonymous callers may not read users (401)", async () => {
    expectError(await get("/api/users", null), 401, "UNAUTHORIZED");
  });

  test("email is readable by the user themself and admins only", async () => {
    expect((await ok(get(`/api/users/${bob.id}`, bob))).email).toBe(bob.email);
    expect(await ok(get(`/api/users/${alice.id}`, bob))).not.toHaveProperty("email");
    expect((await ok(get(`/api/users/${alice.id}`, app.admin as Doc))).email).toBe(alice.email);
  });

  test("a where, sort or select on a hidden field is rejected like an unknown field", async () => {
    expectError(
      await get(`/api/users?${whereQuery({ email: { like: "alice" } })}`, bob),
      400,
      "VALIDATION_ERROR",
    );
    expectError(await get("/api/users?sort=email", bob), 400, "VALIDATION_ERROR");
    expectError(await get("/api/users?select=email", bob), 400, "VALIDATION_ERROR");
    const admin = await get(
      `/api/users?${whereQuery({ email: { eq: alice.email } })}`,
      app.admin as Doc,
    );
    expect((admin.body as { totalDocs: number }).totalDocs).toBe(1);
  });

  test("a user may update themself but not set a role: the role is dropped from the write", async () => {
    const updated = await ok(patch(`/api/users/${bob.id}`, { name: "Robert", role: "admin" }, bob));
    expect(updated).toMatchObject({ name: "Robert", role: "user" });
  });

  test("a user may not update or delete someone else (403), nor create users", async () => {
    expectError(await patch(`/api/users/${alice.id}`, { name: "Mallory" }, bob), 403, "FORBIDDEN");
    expectError(await del(`/api/users/${alice.id}`, bob), 403, "FORBIDDEN");
    expectError(
      await post("/api/users", userData(app.kernel, { name: "Eve" }), bob),
      403,
      "FORBIDDEN",
    );
  });

  test("an admin may set a role", async () => {
    const eve = await ok(
      post("/api/users", userData(app.kernel, { name: "Eve", role: "editor" }), app.admin as Doc),
      201,
    );
    expect(eve.role).toBe("editor");
  });
});

describe("posts", () => {
  test("anonymous callers see published posts only, and totalDocs counts only those", async () => {
    const res = await get("/api/posts", null);
    expect(titles(res)).toEqual(["Alice published"]);
    expect((res.body as { totalDocs: number }).totalDocs).toBe(1);
  });

  test("a user sees published posts and their own drafts, never another's", async () => {
    const res = await get("/api/posts", bob);
    expect(titles(res)).toEqual(["Alice published", "Bob draft"]);
    expect((res.body as { totalDocs: number }).totalDocs).toBe(2);
  });

  test("an admin sees every post", async () => {
    expect(titles(await get("/api/posts", app.admin as Doc))).toEqual([
      "Alice draft",
      "Alice published",
      "Bob draft",
    ]);
  });

  test("a hidden draft is a 404 on get, patch and delete", async () => {
    const path = `/api/posts/${posts.aliceDraft!.id}`;
    expectError(await get(path, bob), 404, "NOT_FOUND");
    expectError(await patch(path, { title: "mine now" }, bob), 404, "NOT_FOUND");
    expectError(await del(path, bob), 404, "NOT_FOUND");
    expectError(await get(path, null), 404, "NOT_FOUND");
    expect((await ok(get(path, alice))).title).toBe("Alice draft");
  });

  test("a readable post that is not yours is a 403 on patch and delete", async () => {
    const path = `/api/posts/${posts.alicePublished!.id}`;
    expectError(await patch(path, { title: "mine now" }, bob), 403, "FORBIDDEN");
    expectError(await del(path, bob), 403, "FORBIDDEN");
    expectError(await patch(path, { title: "mine now" }, null), 401, "UNAUTHORIZED");
  });

  test("anonymous callers may not create posts (401)", async () => {
    expectError(await post("/api/posts", { title: "spam" }, null), 401, "UNAUTHORIZED");
  });

  test("the author is the caller, whatever the body says", async () => {
    const created = await ok(post("/api/posts", { title: "Bob's", author: alice.id }, bob), 201);
    expect(created.author).toBe(bob.id);
  });

  test("a non-admin cannot hand their post to another author: PATCH {author} is dropped", async () => {
    const path = `/api/posts/${posts.alicePublished!.id}`;
    const handed = await ok(patch(path, { author: bob.id, title: "Alice published" }, alice));
    expect(handed.author).toBe(alice.id);
    expect((await ok(patch(path, { author: bob.id }, alice))).author).toBe(alice.id);
    expect((await ok(get(path, app.admin as Doc))).author).toBe(alice.id);
  });

  test("a non-admin's views on create are dropped: 999999 is not stored", async () => {
    const created = await ok(post("/api/posts", { title: "Viral", views: 999999 }, bob), 201);
    expect(created.views).toBe(0);
    await ok(del(`/api/posts/${created.id}`, bob));
  });

  test("an admin may name the author and set views on create, and change the author later", async () => {
    const admin = app.admin as Doc;
    const created = await ok(
      post("/api/posts", { title: "Ghostwritten", author: alice.id, views: 7 }, admin),
      201,
    );
    expect(created).toMatchObject({ author: alice.id, views: 7 });
    const path = `/api/posts/${created.id}`;
    expect((await ok(patch(path, { author: bob.id }, admin))).author).toBe(bob.id);
    await ok(del(path, admin));
  });

  test("views may be changed by an admin only: the author's change is dropped", async () => {
    const path = `/api/posts/${posts.alicePublished!.id}`;
    const byAuthor = await ok(patch(path, { views: 999, title: "Alice published" }, alice));
    expect(byAuthor.views).toBe(0);
    expect((await ok(patch(path, { views: 5 }, app.admin as Doc))).views).toBe(5);
  });

  test("depth never turns an unreadable id into a document", async () => {
    const anon = await ok(get(`/api/posts/${posts.alicePublished!.id}?depth=1`, null));
    expect(anon.author).toBe(alice.id);
  });

  test("field read access applies at depth 1 and 2", async () => {
    const depth1 = await ok(get(`/api/posts/${posts.alicePublished!.id}?depth=1`, bob));
    expect(depth1.author).toMatchObject({ id: alice.id, name: "Alice" });
    expect(depth1.author).not.toHaveProperty("email");
    const depth2 = await ok(get(`/api/comments/${comments.onPublished!.id}?depth=2`, bob));
    const postDoc = depth2.post as Doc;
    expect(postDoc.author).toMatchObject({ id: alice.id });
    expect(postDoc.author).not.toHaveProperty("email");
    expect(depth2.author).toMatchObject({ id: bob.id, email: bob.email });
  });
});

describe("comments", () => {
  test("a comment is readable only when its post is", async () => {
    const anon = await get("/api/comments", null);
    expect((anon.body as { docs: Doc[] }).docs.map((d) => d.body)).toEqual(["nice"]);
    expectError(await get(`/api/comments/${comments.onDraft!.id}`, bob), 404, "NOT_FOUND");
    expect((await ok(get(`/api/comments/${comments.onDraft!.id}`, alice))).body).toBe(
      "note to self",
    );
  });

  test("a comment cannot go on a post the commenter cannot read", async () => {
    const res = await post("/api/comments", { post: posts.aliceDraft!.id, body: "peek" }, bob);
    expect(expectError(res, 400, "VALIDATION_ERROR").error.details?.[0]?.path).toBe("post");
  });

  test("only the author or an admin may change a comment", async () => {
    expectError(
      await patch(`/api/comments/${comments.onPublished!.id}`, { body: "edited" }, alice),
      403,
      "FORBIDDEN",
    );
    expect(
      (await ok(patch(`/api/comments/${comments.onPublished!.id}`, { body: "edited" }, bob))).body,
    ).toBe("edited");
  });

  test("the comment's author is the caller, whatever the body says", async () => {
    const created = await ok(
      post("/api/comments", { post: posts.aliceDraft!.id, body: "mine", author: bob.id }, alice),
      201,
    );
    expect(created.author).toBe(alice.id);
    await ok(del(`/api/comments/${created.id}`, alice));
  });

  test("a non-admin cannot hand their comment to another author: PATCH {author} is dropped", async () => {
    const path = `/api/comments/${comments.onPublished!.id}`;
    expect((await ok(patch(path, { author: alice.id }, bob))).author).toBe(bob.id);
    expect((await ok(get(path, app.admin as Doc))).author).toBe(bob.id);
  });

  test("an admin may change a comment's author", async () => {
    const path = `/api/comments/${comments.onDraft!.id}`;
    const admin = app.admin as Doc;
    expect((await ok(patch(path, { author: bob.id }, admin))).author).toBe(bob.id);
    expect((await ok(patch(path, { author: alice.id }, admin))).author).toBe(alice.id);
  });

  test("anonymous callers may not comment (401)", async () => {
    expectError(
      await post("/api/comments", { post: posts.alicePublished!.id, body: "hi" }, null),
      401,
      "UNAUTHORIZED",
    );
  });
});

describe("posts hold what clients send: no hook invents or bounds a value", () => {
  test("rating takes any number: 5.5, 1000 and -2.5 are stored as sent", async () => {
    for (const rating of [5.5, 1000, -2.5]) {
      const created = await ok(post("/api/posts", { title: `Rated ${rating}`, rating }, bob), 201);
      expect(created.rating).toBe(rating);
      await ok(del(`/api/posts/${created.id}`, bob));
    }
  });

  test("two posts titled Hello without a slug are both created, and neither gets a slug", async () => {
    const first = await ok(post("/api/posts", { title: "Hello" }, bob), 201);
    const second = await ok(post("/api/posts", { title: "Hello" }, alice), 201);
    expect([first.slug, second.slug]).toEqual([null, null]);
    await ok(del(`/api/posts/${first.id}`, bob));
    await ok(del(`/api/posts/${second.id}`, alice));
  });

  test("publishing a post fills no publishedAt, on create or on update", async () => {
    const published = await ok(post("/api/posts", { title: "Out", status: "published" }, bob), 201);
    expect(published.publishedAt).toBeNull();
    const draft = await ok(post("/api/posts", { title: "Later" }, bob), 201);
    const path = `/api/posts/${draft.id}`;
    expect((await ok(patch(path, { status: "published" }, bob))).publishedAt).toBeNull();
    await ok(del(`/api/posts/${published.id}`, bob));
    await ok(del(path, bob));
  });

  test("a slug and a publishedAt the client sends are stored as sent", async () => {
    const created = await ok(
      post(
        "/api/posts",
        { title: "Dated", slug: "a-slug", publishedAt: "2024-02-03T04:05:06.000Z" },
        bob,
      ),
      201,
    );
    expect(created).toMatchObject({ slug: "a-slug", publishedAt: "2024-02-03T04:05:06.000Z" });
    await ok(del(`/api/posts/${created.id}`, bob));
  });
});
