import { afterAll, beforeAll, expect, test } from "bun:test";
import {
  bearer,
  openShared,
  PASSWORD,
  type Shared,
  startApp,
  type TestApp,
} from "../test/harness.ts";
import { auth } from "./module.ts";

// One auth() object installed in two kernels, each on its own database.
const module = auth();
let sharedA: Shared;
let sharedB: Shared;
let a: TestApp;
let b: TestApp;

beforeAll(async () => {
  sharedA = await openShared();
  sharedB = await openShared();
  a = await startApp(sharedA, { module });
  b = await startApp(sharedB, { module });
});
afterAll(async () => {
  await a.close();
  await b.close();
  await sharedA.close();
  await sharedB.close();
});

test("one auth() serves two kernels: each signs in its own users only", async () => {
  const onA = await a.signUp("ada@example.com");
  const onB = await b.signUp("ada@example.com");
  expect(onA.user.id).not.toBe(onB.user.id);
  const me = (app: TestApp, token: string) =>
    app.handle("/api/auth/me", { headers: bearer(token) });
  expect(((await (await me(a, onA.accessToken)).json()) as { user: { id: string } }).user.id).toBe(
    onA.user.id,
  );
  expect((await me(b, onB.accessToken)).status).toBe(200);
  // A's user does not exist in B's database, whatever the token says.
  expect((await me(b, onA.accessToken)).status).toBe(401);
});

test("each kernel's credential hooks guard its own users", async () => {
  const onA = await a.signIn("ada@example.com");
  const onB = await b.signIn("ada@example.com");
  for (const [app, session] of [
    [a, onA],
    [b, onB],
  ] as const) {
    const refused = await app.handle(`/api/users/${session.user.id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json", ...bearer(session.accessToken) },
      body: JSON.stringify({ password: "a brand new password" }),
    });
    expect(refused.status).toBe(403);
    const allowed = await app.handle(`/api/users/${session.user.id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json", ...bearer(session.accessToken) },
      body: JSON.stringify({ password: "a brand new password", currentPassword: PASSWORD }),
    });
    expect(allowed.status).toBe(200);
  }
  expect(
    (await a.post("/api/auth/login", { email: "ada@example.com", password: PASSWORD })).status,
  ).toBe(401);
});
