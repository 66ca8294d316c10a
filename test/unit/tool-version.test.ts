import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { toolVersion } from "../../src/tool-version.js";

it("the tool's version is its package.json's (found above the module, not the 0.0.0 fallback)", () => {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  expect(toolVersion()).toBe(pkg.version);
  expect(toolVersion()).not.toBe("0.0.0");
});
