import { describe, expect, it } from "vitest";
import {
  parseCopyEndpoint,
  parseCopyRoute,
} from "../../../../src/environment/copy/copy-arguments.js";
import { expectError } from "../../plan/errors.js";

describe("reading cp's arguments as docker cp does", () => {
  it("NAME:PATH is a path in an environment, relative to /", () => {
    expect(parseCopyEndpoint("mybox:/root/x")).toEqual({
      kind: "environment",
      name: "mybox",
      path: "/root/x",
    });
    expect(parseCopyEndpoint("mybox:root/x")).toEqual({
      kind: "environment",
      name: "mybox",
      path: "/root/x",
    });
  });
  it("an absolute path, a path starting with '.', or one without ':' is a host path", () => {
    expect(parseCopyEndpoint("/data/a:b")).toEqual({ kind: "host", path: "/data/a:b" });
    expect(parseCopyEndpoint("./a:b")).toEqual({ kind: "host", path: "./a:b" });
    expect(parseCopyEndpoint("../a:b")).toEqual({ kind: "host", path: "../a:b" });
    expect(parseCopyEndpoint("data")).toEqual({ kind: "host", path: "data" });
  });
  it("'-' is a tar stream", () => {
    expect(parseCopyEndpoint("-")).toEqual({ kind: "stream" });
  });
  it("refuses a name without a path, and a colon without a name", () => {
    expect(expectError(() => parseCopyEndpoint("mybox:"), "INVALID_OPTION").hint).toContain(
      "mybox:/root/",
    );
    expect(expectError(() => parseCopyEndpoint(":x"), "INVALID_OPTION").hint).toContain("./:x");
  });
});

describe("the direction of a copy", () => {
  it("host → environment, and environment → host", () => {
    expect(parseCopyRoute("./data", "mybox:/root/")).toEqual({
      direction: "to-environment",
      name: "mybox",
      containerPath: "/root/",
      from: { kind: "host", path: "./data" },
    });
    expect(parseCopyRoute("mybox:/root/out/.", "-")).toEqual({
      direction: "from-environment",
      name: "mybox",
      containerPath: "/root/out/.",
      to: { kind: "stream" },
    });
  });
  it("refuses two host sides, two environments and empty arguments, each with a hint", () => {
    for (const [src, dst] of [
      ["./a", "./b"],
      ["-", "-"],
      ["-", "./b"],
      ["a:/x", "b:/y"],
      ["", "b:/y"],
      ["a:/x", ""],
    ] as const) {
      const error = expectError(() => parseCopyRoute(src, dst), "INVALID_OPTION");
      expect(error.hint ?? "", `${src} ${dst}`).not.toBe("");
    }
  });
});
