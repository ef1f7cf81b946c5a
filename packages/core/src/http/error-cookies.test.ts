import { afterAll, beforeAll, expect, test } from "bun:test";
import { Elysia } from "elysia";
import { type Harness, startHarness } from "../../test/harness.ts";
import { type LucentModule, ValidationError } from "../index.ts";

const cookieSetter = {
  name: "cookie-setter",
  setup: () => ({
    routes: new Elysia().get("/cookie/fail", ({ set }) => {
      set.headers["set-cookie"] = "probe=1; Path=/";
      throw new ValidationError([{ path: "x", message: "bad" }]);
    }),
  }),
} satisfies LucentModule;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ collections: [], modules: [cookieSetter] });
});
afterAll(() => h.close());

test("regression: a cookie set before an error is sent once, not twice", async () => {
  const res = await h.request("/api/cookie/fail");
  expect(res.status).toBe(400);
  expect(res.headers.getSetCookie()).toEqual(["probe=1; Path=/"]);
  expect(res.headers.get("x-request-id")).toBeTruthy();
});
