/**
 * The docs page in headless Chromium: it renders the demo's posts operations
 * and every request it makes stays on the app's own origin (the page works
 * offline). A screenshot is kept in test-artifacts/docs.png.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { chromium } from "playwright-core";
import type { DocsApp } from "./openapi-app.ts";
import { startDocsDemo } from "./openapi-app.ts";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = join(import.meta.dir, "..", "test-artifacts");
// In CI the browser must be there (.ci/run installs it); elsewhere its absence skips this file.
const skip = !existsSync(CHROMIUM) && !Bun.env.CI;
if (skip)
  console.warn(
    `openapi-browser.test.ts skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`,
  );

let demo: DocsApp;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  if (skip) return;
  demo = await startDocsDemo();
  origin = demo.listen();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

describe.skipIf(skip)("the docs page in Chromium", () => {
  test("renders the posts operations from local assets only", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const requests: string[] = [];
    const problems: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    page.on("requestfailed", (request) => problems.push(`failed: ${request.url()}`));
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    // A CSP refusal never becomes a request event; the console is where it shows.
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console: ${message.text()}`);
    });

    await page.goto(`${origin}/api/docs#tag/posts`);
    await page.getByText("Create a post").first().waitFor({ state: "visible", timeout: 30_000 });
    for (const summary of ["List posts", "Get a post", "Update a post", "Delete a post"]) {
      expect(await page.getByText(summary).count()).toBeGreaterThan(0);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "docs.png"), fullPage: false });

    expect(requests).toContain(`${origin}/api/docs/json`);
    expect(
      requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith("data:")),
    ).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);
});
