import { describe, expect, it } from "vitest";
import { allCases, caseName, renderCase } from "./cases.js";

const FIXTURES = "../../../fixtures/kubernetes";

/**
 * The manifests for every combination, as files a reviewer can read: a change to the renderer
 * shows up as a diff of these files (`npx vitest run -u` rewrites them after a deliberate change).
 */
describe("script --target kubernetes: golden manifests", () => {
  for (const input of allCases()) {
    it(`${caseName(input)}`, async () => {
      await expect(renderCase(input).text).toMatchFileSnapshot(
        `${FIXTURES}/${caseName(input)}.yaml`,
      );
    });
  }

  // With --explain: one per node cgroup choice, across kinds and accelerators.
  for (const input of [
    { kind: "develop", accel: "nvidia", cgroup: "v1" },
    { kind: "develop", accel: "ascend310p", cgroup: "v2-privileged" },
    { kind: "runtime", accel: "cpu", cgroup: "v2-writable" },
  ] as const) {
    it(`${caseName(input)} --explain`, async () => {
      await expect(renderCase({ ...input, explain: true }).text).toMatchFileSnapshot(
        `${FIXTURES}/${caseName(input)}.explain.yaml`,
      );
    });
  }
});
