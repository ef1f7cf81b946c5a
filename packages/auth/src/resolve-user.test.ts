/**
 * Dead session cookies (CONTRACT §8): once a session ends, the browser keeps
 * sending its cookie, and only a response can remove it. A request carrying
 * one is anonymous, public routes answer as usual, and the response clears
 * the cookie; an invalid bearer token or API key stays a 401.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import {
  bearer,
  cookie,
  openShared,
  type Shared,
  sessionFrom,
  startApp,
  type TestApp,
} from "../test/harness.ts";

let shared: Shared;
let app: TestApp;

beforeAll(async () => {
  shared = await openShared();
  app = await startApp(shared);
  await app.signUp("ada@example.com");
});
afterAll(async () => {
  await app.close();
  await shared.close();
});

async function liveSession(email = "ada@example.com"): Promise<string> {
  const res = await app.post("/api/auth/login", { email, password: "correct horse battery" });
  expect(res.status).toBe(200);
  return sessionFrom(res)!;
}

/** True when the response removes `lucent_session` from the browser. */
function clearsCookie(res: Response): boolean {
  return res.headers
    .getSetCookie()
    .some((c) => c.startsWith("lucent_session=;") && c.includes("Max-Age=0"));
}

const ENDED: Array<{ name: string; end: () => Promise<string> }> = [
  {
    name: "a logged-out session",
    end: async () => {
      const session = await liveSession();
      expect((await app.post("/api/auth/logout", {}, cookie(session))).status).toBe(200);
      return session;
    },
  },
  {
    name: "an expired session",
    end: async () => {
      const session = await liveSession();
      await shared.db.execute(
        sql`update lucent_auth_sessions set expires_at = now() - interval '1 second' where revoked_at is null`,
      );
      return session;
    },
  },
  {
    name: "the session of a deleted account",
    end: async () => {
      const email = `gone-${Bun.randomUUIDv7().slice(-8)}@example.com`;
      const { user } = await app.signUp(email);
      const session = await liveSession(email);
      await shared.db.execute(sql`delete from users where id = ${user.id}::uuid`);
      return session;
    },
  },
  { name: "a made-up session id", end: async () => "a".repeat(52) },
];

describe("dead session cookie: after a session ends, its cookie makes the request anonymous and is cleared", () => {
  for (const { name, end } of ENDED) {
    test(`${name}: a public GET answers 200 as anonymous and clears the cookie`, async () => {
      const res = await app.handle("/api/notes", { headers: cookie(await end()) });
      expect(res.status).toBe(200);
      expect(clearsCookie(res)).toBe(true);
    });

    test(`${name}: logout answers 200 and clears the cookie`, async () => {
      const res = await app.post("/api/auth/logout", {}, cookie(await end()));
      expect(res.status).toBe(200);
      expect(clearsCookie(res)).toBe(true);
    });

    test(`${name}: a route that needs a user is a 401 that clears the cookie`, async () => {
      const session = await end();
      const me = await app.handle("/api/auth/me", { headers: cookie(session) });
      expect(me.status).toBe(401);
      expect((await me.json()).error.code).toBe("UNAUTHORIZED");
      expect(clearsCookie(me)).toBe(true);
      const write = await app.post("/api/notes", { title: "t" }, cookie(session));
      expect(write.status).toBe(401);
      expect(clearsCookie(write)).toBe(true);
    });
  }

  test("a live session is used and its cookie left alone", async () => {
    const session = await liveSession();
    const res = await app.post("/api/notes", { title: "mine" }, cookie(session));
    expect(res.status).toBe(201);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  test("a dead cookie beside a valid bearer token does not get in the way", async () => {
    const { accessToken } = await app.signIn("ada@example.com");
    const res = await app.handle("/api/auth/me", {
      headers: { ...bearer(accessToken), ...cookie("a".repeat(52)) },
    });
    expect(res.status).toBe(200);
  });
});

describe("an invalid bearer token or API key is still a 401, on public routes too", () => {
  test("a forged bearer token on a public GET is a 401", async () => {
    const res = await app.handle("/api/notes", { headers: bearer("not.a.jwt") });
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe("UNAUTHORIZED");
  });

  test("a made-up API key on a public GET is a 401", async () => {
    const res = await app.handle("/api/notes", { headers: { "x-api-key": "lk_nope_nope" } });
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe("UNAUTHORIZED");
  });
});
