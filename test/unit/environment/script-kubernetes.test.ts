import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { script } from "../../../src/environment/plan.js";
import type { ScriptOptions } from "../../../src/environment/types.js";
import type { ContainerEngine } from "../../../src/engine/types.js";
import { ModelboxDevError } from "../../../src/errors.js";
import { cpuOnlyFacts } from "../../support/facts.js";

const DEVELOP = "modelbox/modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64:1.5.3";

// The Kubernetes target probes nothing: an engine that is never called is enough.
const engine = {} as ContainerEngine;

async function codeOf(run: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await run();
  } catch (err) {
    return err instanceof ModelboxDevError ? err.code : String(err);
  }
  return undefined;
}

describe("the library's script with target kubernetes", () => {
  const realHome = process.env.HOME;
  const home = mkdtempSync(join(tmpdir(), "mbdev-k8s-lib-"));
  beforeAll(() => {
    process.env.HOME = home;
  });
  afterAll(() => {
    process.env.HOME = realHome;
  });
  const k8s = (options: Partial<ScriptOptions>) =>
    script({ name: "libbox", image: DEVELOP, target: "kubernetes", ...options }, { engine });

  it("prints manifests for the environment, with the key generated as up would", async () => {
    const text = await k8s({ gpus: "1", namespace: "ml" });
    expect(text).toContain("kind: Deployment");
    expect(text).toContain("nvidia.com/gpu: 1");
    const publicKey = readFileSync(
      join(home, ".modelbox-dev", "environments", "libbox", "id_ed25519.pub"),
      "utf8",
    ).trim();
    expect(text).toContain(publicKey);
  });

  it("refuses what only a Docker host or up itself can do, before writing a key", async () => {
    for (const options of [
      { facts: cpuOnlyFacts() },
      { passwordStdin: true },
      { editorAllow: ["10.0.0.0/8"] },
      { gpus: "all" },
      { k8sCgroup: "v3" },
    ] as Array<Partial<ScriptOptions>>) {
      expect(
        await codeOf(() => k8s({ name: "refused", ...options })),
        JSON.stringify(options),
      ).toBe("INVALID_OPTION");
    }
    expect(existsSync(join(home, ".modelbox-dev", "environments", "refused"))).toBe(false);
  });

  it("the shell target refuses Kubernetes options and unknown targets", async () => {
    const shell = (options: Partial<ScriptOptions>) =>
      script({ image: DEVELOP, facts: cpuOnlyFacts(), ...options }, { engine });
    expect(await codeOf(() => shell({ namespace: "ml" }))).toBe("INVALID_OPTION");
    expect(await codeOf(() => shell({ toleration: ["gpu:NoSchedule"] }))).toBe("INVALID_OPTION");
    expect(await codeOf(() => shell({ target: "helm" as "shell" }))).toBe("INVALID_OPTION");
    expect(await shell({ cpus: 2, memory: "8g" })).toMatch(/^ {2}--cpus 2$/m);
  });
});
