import { expect, test } from "bun:test";
import { decodeJobId, encodeJobId, queueName } from "./job-ids.ts";

test("job names with ':' or '~' map to valid queue names and back through the id", () => {
  for (const name of ["mail:send", "a~b", "%7E", "plain", "ünïcode:x"]) {
    expect(queueName(name)).not.toContain(":");
    expect(decodeJobId(encodeJobId(name, "repeat:lucent-cron:17"))).toEqual({
      name,
      bullId: "repeat:lucent-cron:17",
    });
  }
});

test("an id that no driver produced decodes to null", () => {
  expect(decodeJobId("no-such-job")).toBeNull();
  expect(decodeJobId(":1")).toBeNull();
  expect(decodeJobId("x:")).toBeNull();
  expect(decodeJobId("bad%:1")).toBeNull();
});
