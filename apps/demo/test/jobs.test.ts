import { afterAll, beforeAll, expect, test } from "bun:test";
import type { TestApp } from "./helpers.ts";
import { startDemo } from "./helpers.ts";

let app: TestApp;

beforeAll(async () => {
  app = await startDemo();
  // Workers start with the server; this test has none, so start them by hand.
  await app.kernel.start();
});

afterAll(async () => {
  await app?.close();
});

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await read();
    if (done(value)) return value;
    await Bun.sleep(100);
  }
  throw new Error("timed out waiting");
}

test("publishing a post queues count-published, which runs on the installed job driver", async () => {
  const { jobs } = app.kernel.lucent;
  const before = await jobs.counts("count-published");
  const draft = await app.post("/api/posts", { title: "Soon" });
  expect(draft.status).toBe(201);
  expect((await jobs.counts("count-published")).waiting).toBe(before.waiting);
  const id = (draft.body as { id: string }).id;
  expect((await app.patch(`/api/posts/${id}`, { status: "published" })).status).toBe(200);
  const after = await waitFor(
    () => jobs.counts("count-published"),
    (c) => c.completed > before.completed,
  );
  expect(after.completed).toBe(before.completed + 1);
  expect(after.failed).toBe(before.failed);
});

test("publishing again does not queue another job", async () => {
  const { jobs } = app.kernel.lucent;
  const post = await app.post("/api/posts", { title: "Twice", status: "published" });
  const id = (post.body as { id: string }).id;
  const first = await waitFor(
    () => jobs.counts("count-published"),
    (c) => c.waiting === 0 && c.active === 0,
  );
  await app.patch(`/api/posts/${id}`, { title: "Twice, edited" });
  await Bun.sleep(300);
  const second = await jobs.counts("count-published");
  expect(second.completed + second.waiting + second.active).toBe(first.completed);
});
