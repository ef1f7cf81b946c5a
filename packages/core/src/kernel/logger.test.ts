import { expect, test } from "bun:test";
import { createLogger } from "./logger.ts";

const capture = () => {
  const lines: string[] = [];
  return { lines, destination: { write: (line: string) => void lines.push(line) } };
};

test("JSON lines unless pretty ones are asked for", () => {
  const { lines, destination } = capture();
  createLogger({ level: "info", destination }).info({ port: 3000 }, "listening");
  expect(JSON.parse(lines[0]!)).toMatchObject({ level: 30, port: 3000, msg: "listening" });
});

test("pretty lines are for people, and hide the same secrets", () => {
  const { lines, destination } = capture();
  const logger = createLogger({ level: "info", destination, pretty: true });
  logger.info({ password: "hunter2hunter2", user: { token: "abc.def.ghi" } }, "signed in");
  const text = lines.join("");
  expect(text.trimStart().startsWith("{")).toBe(false);
  expect(text).toContain("INFO");
  expect(text).toContain("signed in");
  expect(text).not.toContain("hunter2hunter2");
  expect(text).not.toContain("abc.def.ghi");
  expect(text).toContain("[redacted]");
});
