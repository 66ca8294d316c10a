import { describe, expect, it } from "vitest";
import { flagDifferences } from "../../../src/plan/spec-flags.js";
import { planUp } from "../../../src/plan/plan-up.js";
import { specOf } from "../../../src/plan/spec-hash.js";
import { dockerFacts } from "../../support/facts.js";

const IMAGE = "modelbox/modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64:latest";
const spec = (options: Parameters<typeof planUp>[0]) =>
  specOf(
    planUp(
      { name: "box", image: IMAGE, ...options },
      dockerFacts({ version: "24.0.6", nvidia: { gpus: 2 } }),
    ),
  );

describe("a 'different options' refusal in flags", () => {
  it("names the flags that differ, with the values before and after", () => {
    const lines = flagDifferences(spec({}), spec({ gpus: "0", debug: "ptrace", memory: "4g" }));
    const text = lines.join("\n");
    expect(text).toMatch(/^--gpus: device-request all → device-request 0$/m);
    expect(text).toMatch(/^--debug: \(none\) → SYS_PTRACE$/m);
    expect(text).toContain("--memory / --cpus:");
    // Internal field names never show.
    expect(text).not.toMatch(/capAdd|securityOpt|resources|^gpu:/m);
  });

  it("the same options make no lines; variables are named, their values never", () => {
    expect(
      flagDifferences(spec({ publish: ["6006:6006"] }), spec({ publish: ["6006:6006"] })),
    ).toEqual([]);
    const before = { userEnv: { names: ["TOKEN"], hash: "aaa" } };
    const after = { userEnv: { names: ["TOKEN"], hash: "bbb" } };
    expect(flagDifferences(before, after)).toEqual([
      "--env / --env-file: a value of TOKEN changed (values are never recorded)",
    ]);
    const added = { userEnv: { names: ["PROXY", "TOKEN"], hash: "ccc" } };
    expect(flagDifferences(before, added)).toEqual(["--env / --env-file: TOKEN → PROXY, TOKEN"]);
  });
});
