import { describe, expect, it } from "vitest";
import { LABELS } from "../../../src/labels.js";
import type { UpOptions } from "../../../src/plan/options.js";
import { planUp } from "../../../src/plan/plan-up.js";
import {
  readRecordedOptions,
  recordOptions,
  upOptionsFromRecord,
} from "../../../src/plan/recorded-options.js";
import { diffSpecs, specOf } from "../../../src/plan/spec-hash.js";
import type { Plan, StepId } from "../../../src/plan/types.js";
import { cpuOnlyFacts, dockerFacts, gpuFacts } from "../../support/facts.js";
import { expectError } from "./errors.js";

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
      "volume",
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
    expect(p.steps.map((s) => s.id)).toEqual(["pull", "volume", "create", "start", "wait-running"]);
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
    // The note says what those conditions mean, and how to make them firm.
    expect(p.notes.join("\n")).toMatch(/set up if the image has sshd and modelbox-tool/);
    expect(p.notes.join("\n")).toMatch(/--kind develop requires them, --kind runtime skips them/);
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

  it("names registries and mirrors only for Docker Hub's modelbox/NAME:TAG, which they stand in for", () => {
    const context = { registries: ["127.0.0.1:5000/modelbox"] };
    const mirrored = planUp({ image: DEVELOP }, cpuOnlyFacts(), context);
    expect(mirrored.steps[0]?.title).toContain("from 127.0.0.1:5000/modelbox");
    for (const image of [
      "127.0.0.1:9/modelbox/nothing:1.0",
      "registry.example.com/team/box:1",
      `${DEVELOP.split(":")[0]}@sha256:${"a".repeat(64)}`,
    ]) {
      const direct = planUp({ image }, cpuOnlyFacts(), context);
      expect(direct.execution.registries).toEqual([]);
      expect(direct.steps[0]?.title).not.toContain("127.0.0.1:5000");
    }
  });

  it("a plan cannot be edited once made", () => {
    const p = plan();
    expect(Object.isFrozen(p)).toBe(true);
    expect(() => p.warnings.push({ code: "X", message: "y" })).toThrow(TypeError);
    expect(() => p.notes.push("z")).toThrow(TypeError);
  });
});

const IMAGE = "modelbox/modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64:latest";
const GiB = 1024 ** 3;
const shell: Record<string, string> = { HF_TOKEN: "hf_very-secret-token" };

function planOf(options: UpOptions, facts = dockerFacts()): Plan {
  return planUp({ name: "box", image: IMAGE, ...options }, facts, {
    lookupEnv: (n) => shell[n],
  });
}

const spec = (p: Plan) => JSON.parse(p.labels[LABELS.spec] ?? "{}") as Record<string, unknown>;

describe("planUp: more ports, variables, limits and the /root volume", () => {
  it("keeps /root in a named volume labelled as the environment's, unless --no-home-volume", () => {
    const p = planOf({});
    expect(p.volumes).toEqual([
      {
        name: "modelbox-dev-home-box",
        target: "/root",
        purpose: "home",
        labels: {
          [LABELS.managed]: "true",
          [LABELS.name]: "box",
          [LABELS.volume]: "home",
        },
      },
    ]);
    expect(p.steps.map((s) => s.id)).toContain("volume");
    const without = planOf({ homeVolume: false });
    expect(without.volumes).toEqual([]);
    expect(without.steps.map((s) => s.id)).not.toContain("volume");
  });

  it("publishes --publish ports beside its own, moving a default out of their way", () => {
    const p = planOf({ publish: ["50022:2345", "127.0.0.1:6006:6006"] });
    expect(p.publish.map((x) => x.hostPort)).toEqual([50022, 6006]);
    expect(p.ports.find((x) => x.purpose === "ssh")?.hostPort).toBe(50023);
    expect(p.warnings.map((w) => w.message).join("\n")).toContain("--publish 50022:2345");
  });

  it("an explicit own port on a published host port is a conflict", () => {
    const e = expectError(() => planOf({ sshPort: 6006, publish: ["6006:6006"] }), "PORT_CONFLICT");
    expect(e.message).toContain("--publish 6006:6006");
    // On distinct addresses they do not meet.
    expect(
      planOf({ bind: "127.0.0.1", sshPort: 6006, publish: ["127.0.0.2:6006:6006"] }),
    ).toBeDefined();
  });

  it("variables: names and a hash in the plan, the values nowhere in it", () => {
    const p = planOf({ env: ["HF_TOKEN", "MODE=debug=1"] });
    expect(p.userEnv).toMatchObject({
      names: ["HF_TOKEN", "MODE"],
      flagNames: ["HF_TOKEN", "MODE"],
    });
    const text = JSON.stringify(p);
    expect(text).not.toContain("hf_very-secret-token");
    expect(text).not.toContain("debug=1");
    expect(spec(p).userEnv).toEqual({ names: ["HF_TOKEN", "MODE"], hash: p.userEnv?.hash });
  });

  it("--env-file is read by the caller: without its text, planUp refuses rather than guess", () => {
    expectError(() => planOf({ envFile: ["/x.env"] }), "INVALID_OPTION");
  });

  it("limits: --cpus, --memory, --shm-size, --ulimit; /dev/shm defaults to half of memory", () => {
    const p = planOf(
      { cpus: "1.5", memory: "16g", shmSize: "2g", ulimit: ["core=-1"] },
      dockerFacts(),
    );
    expect(p.resources).toEqual({ cpus: 1.5, memoryBytes: 16 * GiB });
    expect(p.shm).toEqual({ sizeBytes: 2 * GiB, source: "option" });
    expect(p.ulimits).toEqual([{ name: "core", soft: -1, hard: -1 }]);
    const facts = dockerFacts();
    facts.engine.memoryBytes = 6 * GiB;
    expect(planOf({}, facts).shm).toEqual({ sizeBytes: 3 * GiB, source: "default" });
    expect(planOf({ memory: "2g" }, facts).shm.sizeBytes).toBe(GiB);
  });
});

describe("the spec `up` compares", () => {
  const base = planOf({});

  it("holds only what was asked for: an environment without the new options keeps its spec", () => {
    for (const key of ["publish", "userEnv", "resources", "shmSize", "ulimits", "homeVolume"]) {
      expect(spec(base), key).not.toHaveProperty(key);
    }
    // The default /dev/shm follows the host and is not an option: it does not change the spec.
    const facts = dockerFacts();
    facts.engine.memoryBytes = 2 * GiB;
    expect(planOf({}, facts).specHash).toBe(base.specHash);
  });

  it("changes with each option, and says which", () => {
    const changed: Array<[UpOptions, string]> = [
      [{ publish: ["6006:6006"] }, "publish"],
      [{ env: ["MODE=1"] }, "userEnv"],
      [{ cpus: "2" }, "resources"],
      [{ memory: "8g" }, "resources"],
      [{ shmSize: "1g" }, "shmSize"],
      [{ ulimit: ["nofile=1024"] }, "ulimits"],
      [{ homeVolume: false }, "homeVolume"],
    ];
    for (const [options, key] of changed) {
      const p = planOf(options);
      expect(p.specHash, key).not.toBe(base.specHash);
      expect(diffSpecs(specOf(base), specOf(p)).join("\n"), key).toMatch(new RegExp(`^${key}:`));
    }
  });

  it("a changed value of a variable changes the spec; the difference shows hashes only", () => {
    const a = planOf({ env: ["MODE=one"] });
    const b = planOf({ env: ["MODE=two"] });
    expect(a.specHash).not.toBe(b.specHash);
    const diff = diffSpecs(specOf(a), specOf(b)).join("\n");
    expect(diff).toContain("userEnv");
    expect(diff).not.toMatch(/one|two/);
  });
});

describe("the options label: what upgrade makes the environment from", () => {
  it("records the options and the resolved image, variables by name only", () => {
    const p = planOf(
      {
        env: ["HF_TOKEN"],
        publish: ["6006:6006"],
        shmSize: "2g",
        mount: [],
        sshPort: 50100,
        developMode: false,
      },
      gpuFacts(1),
    );
    const label = p.labels[LABELS.options];
    expect(label).not.toContain("hf_very-secret-token");
    const record = readRecordedOptions(label, "box");
    expect(record).toMatchObject({
      image: IMAGE,
      envNames: ["HF_TOKEN"],
      publish: ["6006:6006"],
      shmSize: "2g",
      sshPort: "50100",
      developMode: false,
      homeVolume: true,
    });
  });

  it("read back into up's options, with the values given, plans the same container", () => {
    const options: UpOptions = {
      env: ["HF_TOKEN", "MODE=1"],
      publish: ["6006:6006"],
      cpus: "2",
      ulimit: ["core=-1"],
      debug: "ptrace",
      bind: "127.0.0.1",
    };
    const first = planOf(options);
    const record = readRecordedOptions(first.labels[LABELS.options], "box");
    if (!record) throw new Error("no record");
    const again = planOf(
      upOptionsFromRecord(record, { HF_TOKEN: shell.HF_TOKEN ?? "", MODE: "1" }),
    );
    expect(again.specHash).toBe(first.specHash);
  });

  it("an empty value recorded before the library refused one is read back as not given", () => {
    const record = readRecordedOptions(
      recordOptions(
        { bind: "", gpus: "", publish: ["", "6006:6006"] },
        {
          image: DEVELOP,
          gpus: "",
          envNames: [],
        },
      ),
      "box",
    );
    if (!record) throw new Error("no record");
    const options = upOptionsFromRecord(record, {});
    expect(options).not.toHaveProperty("bind");
    expect(options).not.toHaveProperty("gpus");
    expect(options.publish).toEqual(["6006:6006"]);
  });

  it("a label that is not ours to read is refused; none at all means an older environment", () => {
    expect(readRecordedOptions(undefined, "box")).toBeUndefined();
    expectError(() => readRecordedOptions("{", "box"), "NOT_UPGRADABLE");
    expectError(() => readRecordedOptions('{"format":2}', "box"), "NOT_UPGRADABLE");
  });
});
