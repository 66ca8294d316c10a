import { describe, expect, it } from "vitest";
import { planEnvironment } from "../../../src/plan/plan-environment.js";
import { renderShellScript } from "../../../src/plan/render-shell-script.js";
import { parseRestartPolicy } from "../../../src/plan/validate.js";
import { dockerFacts } from "../../support/facts.js";
import { expectError } from "./errors.js";

const IMAGE = "modelbox/modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64";
const plan = (restart?: string) =>
  planEnvironment(
    { image: IMAGE, name: "box", ...(restart !== undefined ? { restart } : {}) },
    dockerFacts(),
  );

describe("restart policy: environments come back after a daemon restart", () => {
  it("is unless-stopped by default, in the plan and the script", () => {
    const p = plan();
    expect(p.restartPolicy).toEqual({ name: "unless-stopped" });
    expect(renderShellScript(p)).toContain("  --restart unless-stopped\n");
  });

  it("--restart chooses: no leaves the option out of the script, as docker run's default", () => {
    expect(plan("always").restartPolicy).toEqual({ name: "always" });
    expect(plan("on-failure:3").restartPolicy).toEqual({
      name: "on-failure",
      maximumRetryCount: 3,
    });
    expect(renderShellScript(plan("on-failure:3"))).toContain("  --restart on-failure:3\n");
    expect(plan("no").restartPolicy).toEqual({ name: "no" });
    expect(renderShellScript(plan("no"))).not.toContain("--restart");
  });

  it("is not part of the spec hash: the engine changes it in place", () => {
    expect(plan("no").specHash).toBe(plan("always").specHash);
  });

  it.each([
    "",
    "sometimes",
    "always:3",
    "on-failure:-1",
    "on-failure:1e3",
    "on-failure:99999999999999999999",
    "no\n",
  ])("refuses %j with the policies it takes", (value) => {
    const error = expectError(() => parseRestartPolicy(value), "INVALID_OPTION");
    expect(error.hint).toContain("unless-stopped");
  });
});
