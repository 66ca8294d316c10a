import { describe, expect, it } from "vitest";
import { EngineCallError } from "../../../src/engine/types.js";
import { translateStartError } from "../../../src/environment/apply/failures.js";
import { classifyDaemonError } from "../../../src/environment/classify-daemon-error.js";
import { ModelboxDevError } from "../../../src/errors.js";
import { recordedIn, recordedNames } from "../../support/recorded.js";

const recorded = recordedIn("docker-errors");

describe("classifyDaemonError on recorded daemon messages", () => {
  it.each([
    "gpu-could-not-select-device-driver-empty.txt",
    "gpu-could-not-select-device-driver-empty-with-erro-line.txt",
  ])("--gpus without the toolkit (%s)", (file) => {
    const c = classifyDaemonError(recorded(file));
    expect(c?.code).toBe("GPU_UNAVAILABLE");
    expect(c?.hint).toMatch(/nvidia-container-toolkit/);
    expect(c?.hint).toMatch(/restart Docker/);
    expect(c?.hint).toMatch(/without GPUs/);
  });

  it("compose's driver: nvidia variant names the driver", () => {
    const c = classifyDaemonError(
      recorded("gpu-could-not-select-device-driver-nvidia-compose.txt"),
    );
    expect(c?.code).toBe("GPU_UNAVAILABLE");
    expect(c?.message).toContain('"nvidia"');
  });

  it("--runtime=nvidia when the runtime is not registered", () => {
    const c = classifyDaemonError(recorded("unknown-runtime-nvidia.txt"));
    expect(c?.code).toBe("GPU_UNAVAILABLE");
    expect(c?.hint).toMatch(/nvidia-docker2/);
    expect(c?.hint).toMatch(/--gpus/);
  });

  it("port already allocated (docker run, Docker 18.06): port 8080, held by a container", () => {
    const c = classifyDaemonError(recorded("port-already-allocated-docker-run-18.06.txt"));
    expect(c?.code).toBe("PORT_IN_USE");
    expect(c?.message).toContain("8080");
    expect(c?.message).toMatch(/another container/);
    expect(c?.hint).toContain("publish=8080");
  });

  it("port already allocated (compose, Docker 28 networking prefix)", () => {
    const c = classifyDaemonError(
      recorded("port-already-allocated-compose-docker28-networking-prefix.txt"),
    );
    expect(c?.code).toBe("PORT_IN_USE");
    expect(c?.message).toContain("Host port 8080 (0.0.0.0)");
  });

  it("address already in use (a host process holds port 80)", () => {
    const c = classifyDaemonError(recorded("port-address-already-in-use-userland-proxy.txt"));
    expect(c?.code).toBe("PORT_IN_USE");
    expect(c?.message).toContain("Host port 80 ");
    expect(c?.message).toMatch(/another program/);
    expect(c?.hint).toContain(":80");
  });

  it.each([
    ["cuda-requirement-11.0-docker-19.03-20.10-format.txt", "11.0"],
    ["cuda-requirement-12.8-compose-containerd-shim-format.txt", "12.8"],
    ["cuda-requirement-9.2-legacy-escaped-format.txt", "9.2"],
  ])("CUDA requirement not met (%s) → needs CUDA %s", (file, cuda) => {
    const c = classifyDaemonError(recorded(file));
    expect(c?.code).toBe("START_FAILED");
    expect(c?.message).toContain(`unsatisfied condition: cuda>=${cuda})`);
    expect(c?.hint).toContain(`supports CUDA ${cuda}`);
    expect(c?.hint).toMatch(/older CUDA/);
  });

  it.each([
    ["systemd-init-scope-readonly-cgroup-fedora-systemd248.txt", "248", false],
    ["systemd-init-scope-readonly-cgroup-ubuntu22.04-systemd249.txt", "249", false],
    ["systemd-init-scope-readonly-cgroup-centos8-systemd239-freezing.txt", "239", true],
  ])("systemd with a read-only cgroup mount (%s)", (file, version, frozen) => {
    const c = classifyDaemonError(recorded(file));
    expect(c?.code).toBe("START_FAILED");
    expect(c?.message).toContain(`systemd ${version}`);
    expect(c?.message.includes("froze")).toBe(frozen);
    expect(c?.hint).toContain("--cgroupns=host");
    expect(c?.hint).toContain("/sys/fs/cgroup:/sys/fs/cgroup:rw");
  });
});

describe("classifyDaemonError on other wordings", () => {
  it("the newer unknown-runtime wording", () => {
    expect(
      classifyDaemonError(
        "docker: Error response from daemon: unknown or invalid runtime name: nvidia.",
      )?.code,
    ).toBe("GPU_UNAVAILABLE");
  });

  it("a CUDA requirement that is not a cuda>= condition", () => {
    const c = classifyDaemonError(
      "nvidia-container-cli: requirement error: unsatisfied condition: brand = tesla, please update your driver",
    );
    expect(c?.code).toBe("START_FAILED");
    expect(c?.message).toContain("brand=tesla");
  });

  it("a missing /dev/davinci device is an NPU problem", () => {
    const c = classifyDaemonError(
      'docker: Error response from daemon: error gathering device information while adding custom device "/dev/davinci3": no such file or directory.',
    );
    expect(c?.code).toBe("NPU_UNAVAILABLE");
    expect(c?.message).toContain("/dev/davinci3");
  });

  it("unrecognised messages give undefined", () => {
    expect(
      classifyDaemonError("Error response from daemon: something else entirely"),
    ).toBeUndefined();
  });
});

describe("port errors as Docker 20.10 words them (seen on this project's test engine)", () => {
  it("reads 'listen tcp4' as a host process holding the port", () => {
    const result = classifyDaemonError(
      "driver failed programming external connectivity on endpoint mbdev (abc): Error starting userland proxy: listen tcp4 0.0.0.0:30000: bind: address already in use",
    );
    expect(result?.code).toBe("PORT_IN_USE");
    expect(result?.message).toContain("30000");
  });
});

describe("every start failure says what to do", () => {
  const files = recordedNames("docker-errors");

  it("a publish address the engine's host does not have is ADDRESS_NOT_ON_HOST", () => {
    const c = classifyDaemonError(
      recorded("bind-cannot-assign-requested-address-docker-20.10.txt"),
    );
    expect(c?.code).toBe("ADDRESS_NOT_ON_HOST");
    expect(c?.message).toContain("10.254.254.254");
    expect(c?.hint).toMatch(/--bind/);
  });

  it.each(files)("%s: the error the engine's refusal becomes has a hint", (file) => {
    const failure = translateStartError(new EngineCallError(recorded(file), 500));
    expect(failure).toBeInstanceOf(ModelboxDevError);
    expect((failure as ModelboxDevError).hint?.trim()).toBeTruthy();
  });

  it("a refusal no rule knows is START_FAILED with a hint (the runtime's, or the daemon's)", () => {
    const oci = translateStartError(
      new EngineCallError("OCI runtime create failed: runc create failed: something new", 500),
    ) as ModelboxDevError;
    expect(oci.code).toBe("START_FAILED");
    expect(oci.hint).toMatch(/runtime/);
    const other = translateStartError(new EngineCallError("a daemon sentence", 500));
    expect((other as ModelboxDevError).hint).toMatch(/doctor/);
  });
});
