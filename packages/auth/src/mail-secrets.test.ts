/**
 * Where the links of reset and verification mails may end up: only in the
 * mailbox. Not in the database, the job store, or the log.
 */

import { Database } from "bun:sqlite";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ConfigError } from "@lucent/core";
import { sql } from "drizzle-orm";
import { openShared, type Shared, startApp } from "../test/harness.ts";
import { startSmtpSink, tokenIn } from "../test/smtp-sink.ts";
import { MAIL_JOB } from "./mailer.ts";

let shared: Shared;
const saved = { NODE_ENV: Bun.env.NODE_ENV, SMTP_URL: Bun.env.SMTP_URL };

beforeAll(async () => {
  shared = await openShared();
});
afterAll(async () => {
  await shared.close();
});
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete Bun.env[name];
    else Bun.env[name] = value;
  }
});

async function until<T>(probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await Bun.sleep(25);
  }
  throw new Error("timed out waiting");
}

/** Every row of every table of a SQLite file, as one string. */
function dumpSqlite(path: string): string {
  const db = new Database(path);
  try {
    const tables = db
      .query<{ name: string }, []>("select name from sqlite_master where type = 'table'")
      .all();
    return JSON.stringify(tables.map(({ name }) => db.query(`select * from "${name}"`).all()));
  } finally {
    db.close();
  }
}

describe("regression: in production the console transport started silently and logged reset links", () => {
  test("NODE_ENV=production without SMTP_URL and without an explicit transport stops startup, naming both ways out", async () => {
    Bun.env.NODE_ENV = "production";
    delete Bun.env.SMTP_URL;
    const error = await startApp(shared).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(String(error)).toContain("SMTP_URL");
    expect(String(error)).toContain("mail.transport");
  });

  test("a console transport chosen explicitly in production logs who and what, never the body with its link", async () => {
    Bun.env.NODE_ENV = "production";
    delete Bun.env.SMTP_URL;
    const lines: string[] = [];
    const app = await startApp(shared, {
      auth: { mail: { transport: "console", queue: false, welcome: false } },
      lines,
    });
    try {
      await app.signUp("prod-console@example.com");
      await app.post("/api/auth/forgot", { email: "prod-console@example.com" });
      const line = await until(() => lines.find((l) => l.includes("mail (console transport)")));
      expect(JSON.parse(line).mail).toEqual({
        to: "prod-console@example.com",
        subject: "Reset your password",
        text: "[redacted]",
      });
      expect(lines.join("")).not.toContain("token=");
    } finally {
      await app.close();
    }
  });

  test("outside production the console transport still prints the whole mail, links included", async () => {
    delete Bun.env.SMTP_URL;
    const lines: string[] = [];
    const app = await startApp(shared, { auth: { mail: { queue: false, welcome: false } }, lines });
    try {
      await app.signUp("dev-console@example.com");
      await app.post("/api/auth/forgot", { email: "dev-console@example.com" });
      const line = await until(() => lines.find((l) => l.includes("mail (console transport)")));
      expect(JSON.parse(line).mail.text).toContain("/reset-password?token=");
    } finally {
      await app.close();
    }
  });
});

describe("regression: delivered mail jobs kept reset links in the job store", () => {
  test("once a forgot-password mail is delivered, neither the job store nor the database holds its token", async () => {
    const sink = await startSmtpSink();
    Bun.env.SMTP_URL = sink.url;
    const app = await startApp(shared, { jobs: true });
    try {
      await app.signUp("job-store@example.com");
      await app.post("/api/auth/forgot", { email: "job-store@example.com" });
      const token = tokenIn(await sink.next("job-store@example.com", "Reset your password"));
      // Welcome and reset: both delivered, and their jobs recorded as completed.
      await until(async () => {
        const counts = await app.kernel.lucent.jobs.counts(MAIL_JOB);
        return counts.completed >= 2 && counts.waiting + counts.active + counts.delayed === 0
          ? counts
          : undefined;
      });
      const store = dumpSqlite(join(app.kernel.ctx.dataDir, "jobs.sqlite"));
      expect(store).not.toContain(token);
      expect(store).not.toContain("reset-password");
      const rows = await shared.db.execute(sql`select * from lucent_auth_tokens`);
      expect(JSON.stringify(rows)).not.toContain(token);
    } finally {
      await app.close();
      await sink.close();
    }
  });
});
