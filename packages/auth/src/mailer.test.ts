import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { MailMessage } from "@lucent/core";
import { openShared, type Shared, startApp } from "../test/harness.ts";

let shared: Shared;
beforeAll(async () => {
  shared = await openShared();
});
afterAll(async () => {
  await shared.close();
});

async function until<T>(probe: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = probe();
    if (value !== undefined) return value;
    await Bun.sleep(10);
  }
  throw new Error("timed out waiting");
}

describe("mail", () => {
  test("a user function transport receives mail rendered by an overriding template, without the queue", async () => {
    const sent: MailMessage[] = [];
    const app = await startApp(shared, {
      auth: {
        mail: {
          transport: async (message) => void sent.push(message),
          queue: false,
          from: "Team <team@example.com>",
          templates: { forgot: ({ link }) => ({ subject: "Custom reset", text: `go to ${link}` }) },
        },
        appUrl: "https://front.example.com/",
      },
    });
    try {
      await app.post("/api/auth/register", {
        email: "fn@example.com",
        password: "correct horse battery",
      });
      const welcome = await until(() => sent.find((m) => m.subject === "Welcome"));
      expect(welcome).toMatchObject({ to: "fn@example.com", from: "Team <team@example.com>" });
      await app.post("/api/auth/forgot", { email: "fn@example.com" });
      const reset = await until(() => sent.find((m) => m.subject === "Custom reset"));
      expect(reset.text).toMatch(
        /^go to https:\/\/front\.example\.com\/reset-password\?token=[a-z0-9]{52}$/,
      );
    } finally {
      await app.close();
    }
  });

  test("the console transport is the default and writes the mail to the log", async () => {
    const lines: string[] = [];
    const saved = Bun.env.SMTP_URL;
    delete Bun.env.SMTP_URL;
    const app = await startApp(shared, { auth: { mail: { queue: false } }, lines });
    try {
      await app.post("/api/auth/register", {
        email: "console@example.com",
        password: "correct horse battery",
      });
      const line = await until(() => lines.find((l) => l.includes("mail (console transport)")));
      expect(JSON.parse(line).mail).toMatchObject({
        to: "console@example.com",
        subject: "Welcome",
      });
    } finally {
      await app.close();
      if (saved !== undefined) Bun.env.SMTP_URL = saved;
    }
  });

  test("transport smtp without SMTP_URL stops startup with a message naming the variable", async () => {
    const saved = Bun.env.SMTP_URL;
    delete Bun.env.SMTP_URL;
    try {
      const error = await startApp(shared, { auth: { mail: { transport: "smtp" } } }).catch(
        (e: unknown) => e,
      );
      expect(String(error)).toContain("SMTP_URL");
    } finally {
      if (saved !== undefined) Bun.env.SMTP_URL = saved;
    }
  });
});

describe("registration with verification", () => {
  test("a client cannot mark its own address verified at registration", async () => {
    const sent: MailMessage[] = [];
    const app = await startApp(shared, {
      auth: { verify: true, mail: { transport: async (m) => void sent.push(m), queue: false } },
    });
    try {
      const res = await app.post("/api/auth/register", {
        email: "sneaky@example.com",
        password: "correct horse battery",
        emailVerified: true,
      });
      expect(res.status).toBe(201);
      expect((await res.json()).user.emailVerified).toBe(false);
      const login = await app.post("/api/auth/login", {
        email: "sneaky@example.com",
        password: "correct horse battery",
      });
      expect((await login.json()).error.code).toBe("EMAIL_NOT_VERIFIED");
    } finally {
      await app.close();
    }
  });
});
