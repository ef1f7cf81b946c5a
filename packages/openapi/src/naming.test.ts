import { describe, expect, test } from "bun:test";
import { collectionNames, singular } from "./naming.ts";
import { docsPath } from "./options.ts";

describe("names", () => {
  test.each([
    ["posts", "post"],
    ["categories", "category"],
    ["boxes", "box"],
    ["people", "people"],
    ["address", "address"],
  ])("the singular of %s is %s", (plural, one) => {
    expect(singular(plural)).toBe(one);
  });

  test("a collection's component names come from its slug", () => {
    expect(collectionNames("blog-posts")).toEqual({
      doc: "BlogPost",
      create: "BlogPostCreateInput",
      update: "BlogPostUpdateInput",
      list: "BlogPostList",
      where: "BlogPostWhere",
      plural: "BlogPosts",
    });
  });

  test("a collection never takes a shared component's name", () => {
    expect(collectionNames("errors").doc).toBe("ErrorDoc");
  });
});

describe("the docs path", () => {
  test.each([
    ["/api/docs", "/docs"],
    ["/docs", "/docs"],
    ["/api/docs/", "/docs"],
    ["/apidocs", "/apidocs"],
  ])("%s below /api is %s", (given, path) => {
    expect(docsPath(given, "/api")).toBe(path);
  });

  test("must name something below the prefix", () => {
    expect(() => docsPath("/api", "/api")).toThrow("options.path");
  });
});
