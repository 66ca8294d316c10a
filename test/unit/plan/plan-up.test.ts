import { describe, expect, it } from "vitest";
import type { UpOptions } from "../../../src/plan/options.js";
import { planUp } from "../../../src/plan/plan-up.js";
import type { StepId } from "../../../src/plan/types.js";
import { cpuOnlyFacts, gpuFacts } from "../../support/facts.js";

const DEVELOP = "modelbox/modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64:latest";
const RUNTIME = "modelbox/modelbox-runtime-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64:latest";
const SSH_STEPS: StepId[] = ["wait-sshd", "install-key", "verify-key-login", "ssh-config"];
const EDITOR_STEPS: StepId[] = ["developer-mode", "wait-editor"];

const plan = (options: UpOptions = {}, facts = cpuOnlyFacts()) =>
  planUp({ name: "box", image: DEVELOP, ...options }, facts, { now: 1 });
const ids = (options: UpOptions = {}) => plan(options).steps.map((s) => s.id);

describe("planUp: the whole of up, decided before anything happens", () => {
  it("a develop image: every step in order, before and after start, each with an id and a title", () => {
    const p = plan();
    expect(p.steps.map((s) => s.id)).toEqual([
      "pull",
      "create",
      "start",
      "wait-running",
      ...SSH_STEPS,
      ...EDITOR_STEPS,
    ]);
    for (const s of p.steps) expect(s.title.length).toBeGreaterThan(5);
    expect(p.steps.find((s) => s.id === "ssh-config")?.title).toContain("box.modelbox");
    expect(p.steps.filter((s) => s.phase === "after-start").map((s) => s.id)).toEqual([
      ...SSH_STEPS,
      ...EDITOR_STEPS,
    ]);
  });

  it("a runtime image: none of the SSH or editor steps, and the plan says why", () => {
    const p = plan({ image: RUNTIME });
    expect(p.steps.map((s) => s.id)).toEqual(["pull", "create", "start", "wait-running"]);
    expect(p.notes.join("\n")).toMatch(/runtime image has no sshd and no editor/);
  });

  it("the options shape the steps: --recreate, --no-ssh-config, --no-develop-mode, a password", () => {
    expect(ids({ recreate: true })).toContain("replace");
    expect(ids({ sshConfig: false })).not.toContain("ssh-config");
    const noDevelop = plan({ developMode: false });
    expect(noDevelop.steps.map((s) => s.id)).not.toContain("developer-mode");
    expect(noDevelop.notes.join("\n")).toMatch(/--no-develop-mode/);
    const withPassword = plan({ password: "s3cret-pass" });
    expect(withPassword.steps.map((s) => s.id)).toContain("set-password");
    // The password itself never enters the plan.
    expect(JSON.stringify(withPassword)).not.toContain("s3cret-pass");
  });

  it("an image of unknown kind gets the SSH and editor steps on condition", () => {
    const p = plan({ image: "registry.example.com/team/custom:1" });
    const conditional = p.steps.filter((s) => s.when);
    expect(conditional.map((s) => s.id)).toEqual([
      "install-key",
      "verify-key-login",
      "ssh-config",
      ...EDITOR_STEPS,
    ]);
  });

  it("chooses the image for the host inside planning, and says why", () => {
    const p = planUp({ name: "box" }, gpuFacts(1), { now: 1 });
    expect(p.image).toMatch(/^modelbox\/modelbox-develop-/);
    expect(p.imageReason).toBeTruthy();
    expect(p.gpu.mode).not.toBe("none");
  });

  it("carries how up runs: pull policy, registries, timeout", () => {
    const p = planUp({ image: DEVELOP, pull: "never", timeout: "30" }, cpuOnlyFacts(), {
      registries: ["127.0.0.1:5000/modelbox"],
    });
    expect(p.execution).toMatchObject({
      pull: "never",
      timeoutSeconds: 30,
      registries: ["127.0.0.1:5000/modelbox"],
    });
    expect(p.steps[0]?.title).toMatch(/never pull/);
  });

  it("a plan cannot be edited once made", () => {
    const p = plan();
    expect(Object.isFrozen(p)).toBe(true);
    expect(() => p.warnings.push({ code: "X", message: "y" })).toThrow(TypeError);
    expect(() => p.notes.push("z")).toThrow(TypeError);
  });
});
