/**
 * What differs on Podman, from recorded Podman output and injected GPUs (no GPU on this machine):
 * GPUs through CDI, ports below 1024 on a rootless engine.
 */
import { describe, expect, it } from "vitest";
import { toCreateOptions } from "../../../src/engine/docker/to-create-options.js";
import { toContainerSpec } from "../../../src/environment/to-container-spec.js";
import { type HostFacts, hostFactsSchema } from "../../../src/host/facts.js";
import { parsePodmanInfoText } from "../../../src/host/parse-docker-info.js";
import type { EnvironmentOptions } from "../../../src/plan/options.js";
import { planEnvironment } from "../../../src/plan/plan-environment.js";
import { renderShellScript } from "../../../src/plan/render-shell-script.js";
import { dockerFacts } from "../../support/facts.js";
import { expectError } from "./errors.js";
import { recordedIn } from "../../support/recorded.js";

const IMAGE = "modelbox/modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64";

/** `podman info` of Podman 5.5.1 (recorded), as the probe reads it, with `gpus` injected. */
function podmanFacts(
  options: { version?: string; gpus?: number; toolkit?: boolean; rootless?: boolean } = {},
): HostFacts {
  const yaml = recordedIn("podman")("info-5.5.1-centos-stream9-cgroup2-crun.txt");
  const info = parsePodmanInfoText(yaml);
  const base = dockerFacts({
    nvidia: { gpus: options.gpus ?? 2, toolkitPresent: options.toolkit ?? true },
  });
  return hostFactsSchema.parse({
    ...base,
    engine: {
      ...base.engine,
      ...info,
      kind: "podman",
      serverVersion: options.version ?? info.serverVersion,
      // Podman's Docker-compatible /version reports API 1.41.
      apiVersion: "1.41",
      rootless: options.rootless ?? info.rootless,
    },
  });
}

const plan = (facts: HostFacts, options: Partial<EnvironmentOptions> = {}) =>
  planEnvironment({ image: IMAGE, name: "gpubox", now: 1, ...options }, facts);

describe("GPUs on Podman: CDI, not Docker's device requests", () => {
  it("the recorded Podman 5.5.1 host reads as podman, rootful, no runtime table", () => {
    const facts = podmanFacts();
    expect(facts.engine).toMatchObject({ kind: "podman", serverVersion: "5.5.1" });
    expect(facts.engine.runtimes).toEqual(["crun"]);
  });

  it("Podman 5.5 with GPUs: a cdi device request for nvidia.com/gpu=all", () => {
    const p = plan(podmanFacts());
    expect(p.gpu).toEqual({ mode: "cdi", devices: "all" });
    expect(p.runtime).toBeUndefined();
    expect(p.env.NVIDIA_DRIVER_CAPABILITIES).toBe("compute,utility,video");
    expect(p.notes.join("\n")).toContain("through CDI (nvidia.com/gpu=all; Podman 5.5.1)");
    const body = toCreateOptions(toContainerSpec(p));
    expect(body.HostConfig?.DeviceRequests).toEqual([
      { Driver: "cdi", Count: 0, DeviceIDs: ["nvidia.com/gpu=all"], Capabilities: [], Options: {} },
    ]);
  });

  it("a list of GPUs becomes one CDI name each, by index or UUID", () => {
    const facts = podmanFacts();
    const uuid = facts.nvidia?.gpus[1]?.uuid ?? "";
    const p = plan(facts, { gpus: `0,${uuid}` });
    expect(p.gpu).toEqual({ mode: "cdi", devices: ["0", uuid] });
    expect(toCreateOptions(toContainerSpec(p)).HostConfig?.DeviceRequests?.[0]?.DeviceIDs).toEqual([
      "nvidia.com/gpu=0",
      `nvidia.com/gpu=${uuid}`,
    ]);
  });

  it("the script passes the CDI names as --device, which podman run takes (no --gpus)", () => {
    const script = renderShellScript(plan(podmanFacts()));
    expect(script).toContain("--device nvidia.com/gpu=all");
    expect(script).not.toContain("--gpus");
  });

  it("Docker on the same GPUs keeps --gpus (a device request with Docker's empty driver)", () => {
    const docker = plan(dockerFacts({ version: "24.0.6", nvidia: { gpus: 2 } }));
    expect(toCreateOptions(toContainerSpec(docker)).HostConfig?.DeviceRequests).toEqual([
      { Driver: "", Count: -1, DeviceIDs: [], Capabilities: [["gpu"]], Options: {} },
    ]);
  });

  it("Podman before 5.5 ignores device requests: --gpus all is refused with why, auto warns", () => {
    const facts = podmanFacts({ version: "4.3.1" });
    const err = expectError(() => plan(facts, { gpus: "all" }), "GPU_UNAVAILABLE");
    expect(err.message).toContain("Podman 4.3.1");
    expect(err.hint).toContain("5.5");
    const auto = plan(facts);
    expect(auto.gpu).toEqual({ mode: "none" });
    expect(auto.warnings.find((w) => w.code === "NO_GPU")?.message).toContain("Podman 4.3.1");
  });

  it("without nvidia-container-toolkit there is no CDI spec: the hint generates one", () => {
    const err = expectError(
      () => plan(podmanFacts({ toolkit: false }), { gpus: "all" }),
      "GPU_UNAVAILABLE",
    );
    expect(err.hint).toContain("nvidia-ctk cdi generate");
  });
});

describe("ports on a rootless engine", () => {
  it("a host port below 1024 is refused with a hint, before anything is created", () => {
    const err = expectError(
      () => plan(podmanFacts({ rootless: true }), { sshPort: 22 }),
      "INVALID_PORT",
    );
    expect(err.message).toContain("--ssh-port 22");
    expect(err.hint).toContain("--ssh-port 50022");
  });

  it("the defaults and ports from 1024 up are fine rootless; a rootful engine takes port 22", () => {
    expect(plan(podmanFacts({ rootless: true }), { httpPort: 1024 }).ports.length).toBe(3);
    const rootful = plan(podmanFacts(), { sshPort: 22 });
    expect(rootful.ports.find((p) => p.purpose === "ssh")?.hostPort).toBe(22);
  });
});
