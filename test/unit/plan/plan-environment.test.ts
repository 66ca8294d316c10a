import { describe, expect, it } from "vitest";
import { LABELS } from "../../../src/labels.js";
import type { EnvironmentOptions } from "../../../src/plan/options.js";
import { renderShellScript } from "../../../src/plan/render-shell-script.js";
import { planEnvironment } from "../../../src/plan/plan-environment.js";
import { canonicalJson, diffSpecs, hashSpec, specOf } from "../../../src/plan/spec-hash.js";
import type { Plan, PlannedMount } from "../../../src/plan/types.js";
import { ascendFacts, dockerFacts, gpuFacts, type DockerVersion } from "../../support/facts.js";
import { expectError } from "./errors.js";

/** The seed's own image. */
const SEED_IMAGE = "modelbox/modelbox-develop-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64";
const RUNTIME_IMAGE = "modelbox/modelbox-runtime-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64";
const CANN_IMAGE = "modelbox/modelbox-develop-mindspore_1.9.0-cann_6.0.1-ubuntu-x86_64";
const CUSTOM_IMAGE = "registry.example.com:5000/team/my-image:1.0";
const NOW = 1_700_000_000;

function plan(options: Partial<EnvironmentOptions> = {}, facts = dockerFacts()): Plan {
  return planEnvironment({ image: SEED_IMAGE, now: NOW, ...options }, facts);
}

const portTuples = (p: Plan) =>
  p.ports.map((port) => [port.purpose, port.hostIp, port.hostPort, port.containerPort]);
const mountOf = (p: Plan, target: string): PlannedMount | undefined =>
  p.mounts.find((m) => m.target === target);
const warningCodes = (p: Plan) => p.warnings.map((w) => w.code);

describe("planEnvironment: the seed's one-click script on a cgroup v1 Docker 20.10 host without GPU", () => {
  const p = plan();

  it("names the container modelbox_instance_<unix seconds>", () => {
    expect(p.name).toBe(`modelbox_instance_${NOW}`);
    expect(p.labels[LABELS.name]).toBe(p.name);
  });

  it("uses the current time when no `now` is given", () => {
    const before = Math.floor(Date.now() / 1000);
    const name = planEnvironment({ image: SEED_IMAGE }, dockerFacts()).name;
    const after = Math.floor(Date.now() / 1000);
    const seconds = Number(/^modelbox_instance_(\d+)$/.exec(name)?.[1]);
    expect(seconds).toBeGreaterThanOrEqual(before);
    expect(seconds).toBeLessThanOrEqual(after);
  });

  it("starts the image the user named, as a develop image, detached with a TTY", () => {
    expect(p.image).toBe(`${SEED_IMAGE}:latest`);
    expect(p.imageKind).toBe("develop");
    expect(p.imageAccel).toBe("cuda");
    expect(p.tty).toBe(true);
    expect(p.openStdin).toBe(true);
  });

  it("publishes 50022→22, 1104→1104 and 8080→8080 on all interfaces", () => {
    expect(portTuples(p)).toEqual([
      ["ssh", "", 50022, 22],
      ["editor", "", 1104, 1104],
      ["http", "", 8080, 8080],
    ]);
    expect(p.labels[LABELS.ports]).toBe("ssh=50022,editor=1104,http=8080");
  });

  it("mounts tmpfs on /tmp, /run and /run/lock", () => {
    expect([...p.tmpfs].sort()).toEqual(["/run", "/run/lock", "/tmp"]);
  });

  it("binds /sys/fs/cgroup read-only, without a cgroup namespace option", () => {
    expect(mountOf(p, "/sys/fs/cgroup")).toEqual({
      source: "/sys/fs/cgroup",
      target: "/sys/fs/cgroup",
      readOnly: true,
      purpose: "cgroup",
    });
    expect(p.cgroupnsMode).toBeUndefined();
  });

  it("binds /opt/modelbox and /home read-write", () => {
    expect(mountOf(p, "/opt/modelbox")).toMatchObject({ source: "/opt/modelbox", readOnly: false });
    expect(mountOf(p, "/home")).toMatchObject({ source: "/home", readOnly: false });
    expect(p.mounts).toHaveLength(3);
  });

  it("gives systemd at least 30 s to stop", () => {
    expect(p.stopTimeoutSeconds).toBeGreaterThanOrEqual(30);
  });

  it("asks for no GPU and says only CPU flowunits will run", () => {
    expect(p.gpu).toEqual({ mode: "none" });
    expect(p.runtime).toBeUndefined();
    expect(p.env).not.toHaveProperty("NVIDIA_DRIVER_CAPABILITIES");
    expect(p.env).not.toHaveProperty("NVIDIA_VISIBLE_DEVICES");
    const noGpu = p.warnings.filter((w) => w.code === "NO_GPU");
    expect(noGpu).toHaveLength(1);
    expect(noGpu[0]?.message).toMatch(/only CPU flowunits/i);
    expect(noGpu[0]?.message).toMatch(/nvidia-smi/);
  });

  it("adds no device, no NPU and no extra privileges", () => {
    expect(p.npu).toEqual({ mode: "none" });
    expect(p.devices).toEqual([]);
    expect(p.debug).toBe("none");
    expect(p.privileged).toBe(false);
    expect(p.capAdd).toEqual([]);
    expect(p.securityOpt).toEqual([]);
  });

  it("waits for the container to run and for the SSH banner on the ssh port", () => {
    expect(p.readiness).toEqual([{ kind: "running" }, { kind: "ssh-banner", port: 50022 }]);
  });

  it("labels the container as managed, with its spec hash", () => {
    expect(p.labels[LABELS.managed]).toBe("true");
    expect(p.labels[LABELS.specHash]).toBe(p.specHash);
    expect(p.labels[LABELS.image]).toBe(p.image);
    expect(p.labels[LABELS.kind]).toBe("develop");
    expect(p.specHash).toMatch(/^[0-9a-f]{16}$/);
  });

  it("records the tool version in a label only when given", () => {
    expect(p.labels).not.toHaveProperty(LABELS.toolVersion);
    expect(plan({ toolVersion: "0.1.0" }).labels[LABELS.toolVersion]).toBe("0.1.0");
  });
});

describe("planEnvironment: cgroup v2", () => {
  it.each(["20.10.24", "24.0.6"] as const)(
    "Docker %s: joins the host cgroup namespace and mounts the cgroup tree read-write",
    (version) => {
      const p = plan({}, dockerFacts({ version, cgroupVersion: 2 }));
      expect(p.cgroupnsMode).toBe("host");
      const cgroup = p.mounts.filter((m) => m.purpose === "cgroup");
      expect(cgroup).toEqual([
        { source: "/sys/fs/cgroup", target: "/sys/fs/cgroup", readOnly: false, purpose: "cgroup" },
      ]);
    },
  );
});

describe("planEnvironment: the cgroup mount across engine versions", () => {
  it("Docker 19.03 on a cgroup v2 host: warned that the engine cannot do it", () => {
    const p = plan({}, dockerFacts({ version: "19.03.12", cgroupVersion: 2 }));
    expect(warningCodes(p)).toContain("CGROUP_V2_OLD_ENGINE");
    expect(plan({}, dockerFacts({ version: "20.10.24", cgroupVersion: 2 })).warnings).toEqual(
      expect.not.arrayContaining([expect.objectContaining({ code: "CGROUP_V2_OLD_ENGINE" })]),
    );
  });

  it.each(["25.0.3", "28.0.0"] as const)(
    "Docker %s on cgroup v1: read-only only at the top, as :ro meant before Docker 25",
    (version) => {
      const p = plan({}, dockerFacts({ version }));
      const cgroup = p.mounts.find((m) => m.purpose === "cgroup");
      expect(cgroup).toMatchObject({ readOnly: true, readOnlyNonRecursive: true });
      const script = renderShellScript(p);
      expect(script).toContain(
        "--mount type=bind,src=/sys/fs/cgroup,dst=/sys/fs/cgroup,readonly,bind-recursive=writable",
      );
      expect(script).not.toContain("-v /sys/fs/cgroup");
    },
  );

  it.each(["18.09.0", "20.10.24", "24.0.6"] as const)(
    "Docker %s on cgroup v1: the seed's plain -v /sys/fs/cgroup:/sys/fs/cgroup:ro",
    (version) => {
      const cgroup = plan({}, dockerFacts({ version })).mounts.find((m) => m.purpose === "cgroup");
      expect(cgroup).toEqual({
        source: "/sys/fs/cgroup",
        target: "/sys/fs/cgroup",
        readOnly: true,
        purpose: "cgroup",
      });
    },
  );
});

describe("planEnvironment: mounts that would break systemd or Docker", () => {
  it("a trailing slash does not sneak a second mount onto the same target", () => {
    const p = plan({ mounts: ["/srv:/home/"] });
    expect(p.mounts.filter((m) => m.target === "/home").map((m) => m.source)).toEqual(["/srv"]);
    expect(p.mounts.some((m) => m.target.endsWith("/"))).toBe(false);
    expectError(() => plan({ mounts: ["/x:/sys/fs/cgroup/"] }), "INVALID_MOUNT");
    expectError(() => plan({ mounts: ["/x:/"] }), "INVALID_MOUNT");
  });

  it("/run and /run/lock stay tmpfs; a host /tmp replaces the in-memory one", () => {
    expectError(() => plan({ mounts: ["/x:/run"] }), "INVALID_MOUNT");
    expectError(() => plan({ mounts: ["/x:/run/lock/"] }), "INVALID_MOUNT");
    const p = plan({ mounts: ["/scratch:/tmp"] });
    expect(p.tmpfs).toEqual(["/run", "/run/lock"]);
    expect(p.mounts.find((m) => m.target === "/tmp")?.source).toBe("/scratch");
  });
});

describe("planEnvironment: NVIDIA GPUs", () => {
  it("Docker 18.09 with the nvidia runtime: --runtime=nvidia and NVIDIA_VISIBLE_DEVICES", () => {
    const facts = dockerFacts({
      version: "18.09.0",
      runtimes: ["nvidia"],
      nvidia: { gpus: 2, toolkitPresent: false },
    });
    const p = plan({}, facts);
    expect(p.gpu).toEqual({ mode: "nvidia-runtime", devices: "all" });
    expect(p.runtime).toBe("nvidia");
    expect(p.env.NVIDIA_VISIBLE_DEVICES).toBe("all");
    expect(p.env.NVIDIA_DRIVER_CAPABILITIES).toBe("compute,utility,video");
    expect(warningCodes(p)).not.toContain("NO_GPU");

    const one = plan({ gpus: "1" }, facts);
    expect(one.gpu).toEqual({ mode: "nvidia-runtime", devices: ["1"] });
    expect(one.env.NVIDIA_VISIBLE_DEVICES).toBe("1");
  });

  it("Docker 18.09 without the nvidia runtime: --gpus all is GPU_UNAVAILABLE naming the version", () => {
    const facts = dockerFacts({ version: "18.09.0", nvidia: { gpus: 1 } });
    const err = expectError(() => plan({ gpus: "all" }, facts), "GPU_UNAVAILABLE");
    expect(err.message).toContain("18.09.0");
    expect(err.hint).toMatch(/nvidia-docker2/);
    expect(err.hint).toMatch(/19\.03/);
  });

  it("Docker 18.09 without the nvidia runtime: auto starts without GPU, with a warning", () => {
    const p = plan({}, dockerFacts({ version: "18.09.0", nvidia: { gpus: 1 } }));
    expect(p.gpu).toEqual({ mode: "none" });
    expect(p.runtime).toBeUndefined();
    expect(warningCodes(p)).toContain("NO_GPU");
  });

  it.each(["19.03.12", "20.10.24", "24.0.6"] as const)(
    "Docker %s with nvidia-container-toolkit: a device request (--gpus), no runtime",
    (version: DockerVersion) => {
      const p = plan({}, dockerFacts({ version, nvidia: { gpus: 2, toolkitPresent: true } }));
      expect(p.gpu).toEqual({ mode: "device-request", devices: "all" });
      expect(p.runtime).toBeUndefined();
      expect(p.env.NVIDIA_DRIVER_CAPABILITIES).toBe("compute,utility,video");
      expect(p.env).not.toHaveProperty("NVIDIA_VISIBLE_DEVICES");
      expect(p.warnings).toEqual([]);
    },
  );

  it("auto with GPUs but no toolkit: starts without GPU and says why", () => {
    const p = plan({}, dockerFacts({ nvidia: { gpus: 2, toolkitPresent: false } }));
    expect(p.gpu).toEqual({ mode: "none" });
    expect(p.env).not.toHaveProperty("NVIDIA_DRIVER_CAPABILITIES");
    const warning = p.warnings.find((w) => w.code === "NO_GPU");
    expect(warning?.message).toMatch(/nvidia-container-toolkit/);
    expect(warning?.message).toMatch(/only CPU flowunits/i);
  });

  it("--gpus all with GPUs but no toolkit: GPU_UNAVAILABLE with the install hint", () => {
    const facts = dockerFacts({ nvidia: { gpus: 2, toolkitPresent: false } });
    const err = expectError(() => plan({ gpus: "all" }, facts), "GPU_UNAVAILABLE");
    expect(err.hint).toMatch(/nvidia-container-toolkit/);
  });

  it("--gpus all on a host without GPU: GPU_UNAVAILABLE", () => {
    expectError(() => plan({ gpus: "all" }, dockerFacts()), "GPU_UNAVAILABLE");
    expectError(
      () => plan({ gpus: "all" }, dockerFacts({ nvidia: { gpus: 0 } })),
      "GPU_UNAVAILABLE",
    );
  });

  it("--gpus all with a failing nvidia-smi: GPU_UNAVAILABLE carrying the failure", () => {
    const facts = dockerFacts({
      nvidia: { gpus: 0, smi: "error", smiError: "driver/library version mismatch" },
    });
    const err = expectError(() => plan({ gpus: "all" }, facts), "GPU_UNAVAILABLE");
    expect(err.message).toContain("driver/library version mismatch");
    expect(plan({}, facts).warnings.find((w) => w.code === "NO_GPU")?.message).toContain(
      "driver/library version mismatch",
    );
  });

  it("--gpus 0,1 names GPUs the host has; 7 is GPU_UNAVAILABLE listing what there is", () => {
    const facts = gpuFacts(2);
    expect(plan({ gpus: "0,1" }, facts).gpu).toEqual({
      mode: "device-request",
      devices: ["0", "1"],
    });
    const err = expectError(() => plan({ gpus: "7" }, facts), "GPU_UNAVAILABLE");
    expect(err.message).toContain("GPU 7 is not on this host: it has 2 GPUs");
    expect(err.hint).toContain("0 (Tesla T4, GPU-00000000-aaaa-bbbb-cccc-dddddddddddd)");
    expect(err.hint).toContain("1 (Tesla T4, GPU-00000001");
  });

  it("--gpus accepts a GPU UUID", () => {
    const facts = dockerFacts({
      version: "24.0.6",
      nvidia: { gpus: [{ index: 0, name: "A100", uuid: "GPU-abc" }] },
    });
    expect(plan({ gpus: "GPU-abc" }, facts).gpu).toEqual({
      mode: "device-request",
      devices: ["GPU-abc"],
    });
  });

  it("--gpus none on a GPU host: no GPU, no GPU env, no warning, a note for a CUDA image", () => {
    const p = plan({ gpus: "none" }, gpuFacts(2));
    expect(p.gpu).toEqual({ mode: "none" });
    expect(p.env).toEqual({});
    expect(p.warnings).toEqual([]);
    expect(p.notes.join("\n")).toMatch(/only CPU flowunits/i);
  });

  it("an empty --gpus is INVALID_OPTION", () => {
    expectError(() => plan({ gpus: "" }, gpuFacts(1)), "INVALID_OPTION");
  });

  it("a cann image on a GPU host gets no NVIDIA GPU and no warning about it", () => {
    const p = plan({ image: CANN_IMAGE }, gpuFacts(2));
    expect(p.gpu).toEqual({ mode: "none" });
    expect(warningCodes(p)).not.toContain("NO_GPU");
  });

  const capabilityCases: Array<
    [string, Partial<EnvironmentOptions>, ReturnType<typeof dockerFacts>]
  > = [
    ["auto, modern host", {}, gpuFacts(1)],
    ["all, modern host", { gpus: "all" }, gpuFacts(1)],
    ["list, modern host", { gpus: "0" }, gpuFacts(1)],
    [
      "auto, Docker 18.09 + nvidia runtime",
      {},
      dockerFacts({ version: "18.09.0", runtimes: ["nvidia"], nvidia: { gpus: 1 } }),
    ],
    ["none, modern host", { gpus: "none" }, gpuFacts(1)],
    ["auto, no GPU", {}, dockerFacts()],
    ["auto, no toolkit", {}, dockerFacts({ nvidia: { gpus: 1, toolkitPresent: false } })],
  ];
  it.each(capabilityCases)(
    "NVIDIA_DRIVER_CAPABILITIES=compute,utility,video is set exactly when a GPU is given (%s)",
    (_label, options, facts) => {
      const p = plan(options, facts);
      if (p.gpu.mode === "none") {
        expect(p.env).not.toHaveProperty("NVIDIA_DRIVER_CAPABILITIES");
      } else {
        expect(p.env.NVIDIA_DRIVER_CAPABILITIES).toBe("compute,utility,video");
      }
    },
  );

  it("the capability cases above cover both outcomes", () => {
    const modes = capabilityCases.map(([, o, f]) => plan(o, f).gpu.mode);
    expect(modes).toContain("none");
    expect(modes).toContain("device-request");
    expect(modes).toContain("nvidia-runtime");
  });
});

describe("planEnvironment: Ascend NPUs", () => {
  it("--npu 0-1 maps /dev/davinci0, /dev/davinci1 and the shared driver nodes", () => {
    const p = plan({ image: CANN_IMAGE, npu: "0-1" }, ascendFacts());
    expect(p.npu).toEqual({ mode: "devices", chips: [0, 1] });
    expect(p.devices.map((d) => d.hostPath)).toEqual([
      "/dev/davinci0",
      "/dev/davinci1",
      "/dev/davinci_manager",
      "/dev/hisi_hdc",
      "/dev/devmm_svm",
    ]);
    for (const d of p.devices) {
      expect(d.containerPath).toBe(d.hostPath);
      expect(d.permissions).toBe("rwm");
    }
    expect(p.runtime).toBeUndefined();
    expect(p.env).not.toHaveProperty("ASCEND_VISIBLE_DEVICES");
  });

  it("with the ascend runtime registered: --runtime=ascend and ASCEND_VISIBLE_DEVICES, no devices", () => {
    const p = plan({ image: CANN_IMAGE, npu: "0-1" }, ascendFacts({ runtimes: ["ascend"] }));
    expect(p.npu).toEqual({ mode: "ascend-runtime", chips: [0, 1] });
    expect(p.runtime).toBe("ascend");
    expect(p.env.ASCEND_VISIBLE_DEVICES).toBe("0-1");
    expect(p.devices).toEqual([]);
  });

  it("ASCEND_VISIBLE_DEVICES keeps ranges and single chips", () => {
    const facts = ascendFacts({
      runtimes: ["ascend"],
      ascend: { chips: [0, 1, 2, 3, 4, 5, 6, 7], chipName: "310" },
    });
    expect(plan({ image: CANN_IMAGE, npu: "5,0-3" }, facts).env.ASCEND_VISIBLE_DEVICES).toBe(
      "0-3,5",
    );
  });

  it("--npu on a host without chips is NPU_UNAVAILABLE", () => {
    expectError(() => plan({ image: CANN_IMAGE, npu: "0" }, dockerFacts()), "NPU_UNAVAILABLE");
    expectError(
      () => plan({ image: CANN_IMAGE, npu: "0" }, dockerFacts({ ascend: { chips: [] } })),
      "NPU_UNAVAILABLE",
    );
  });

  it("a chip the host does not have is NPU_UNAVAILABLE naming it and listing the host's chips", () => {
    const err = expectError(
      () => plan({ image: CANN_IMAGE, npu: "2-5" }, ascendFacts()),
      "NPU_UNAVAILABLE",
    );
    expect(err.message).toContain("/dev/davinci4");
    expect(err.message).toContain("/dev/davinci5");
    expect(err.message).not.toContain("/dev/davinci3");
    expect(err.hint).toContain("0-3");
  });

  it("an unreadable --npu is INVALID_OPTION", () => {
    expectError(() => plan({ image: CANN_IMAGE, npu: "zero" }, ascendFacts()), "INVALID_OPTION");
  });

  it("a cann image without --npu gets every chip of the host, in order", () => {
    const facts = ascendFacts({ ascend: { chips: [3, 1, 0, 2], chipName: "310" } });
    const p = plan(
      { image: "modelbox/modelbox-develop-mindspore_1.9.0-cann_6.0.1-ubuntu-x86_64" },
      facts,
    );
    expect(p.npu).toEqual({ mode: "devices", chips: [0, 1, 2, 3] });
    expect(p.devices.map((d) => d.hostPath).slice(0, 4)).toEqual([
      "/dev/davinci0",
      "/dev/davinci1",
      "/dev/davinci2",
      "/dev/davinci3",
    ]);
    expect(p.gpu).toEqual({ mode: "none" });
  });

  it("a cann image on a host without chips starts with a warning", () => {
    const p = plan({ image: CANN_IMAGE }, dockerFacts());
    expect(p.npu).toEqual({ mode: "none" });
    expect(p.devices).toEqual([]);
    expect(p.warnings.find((w) => w.code === "NO_NPU")?.message).toMatch(/only CPU flowunits/i);
  });

  it("--npu none and a CUDA image get no chips", () => {
    expect(plan({ image: CANN_IMAGE, npu: "none" }, ascendFacts()).devices).toEqual([]);
    expect(plan({}, ascendFacts()).npu).toEqual({ mode: "none" });
  });

  it("when --runtime=nvidia is taken, NPUs fall back to devices even with the ascend runtime", () => {
    const facts = dockerFacts({
      version: "18.09.0",
      runtimes: ["nvidia", "ascend"],
      nvidia: { gpus: 1 },
      ascend: { chips: [0, 1] },
    });
    const p = plan({ gpus: "all", npu: "0" }, facts);
    expect(p.runtime).toBe("nvidia");
    expect(p.npu).toEqual({ mode: "devices", chips: [0] });
    expect(p.devices.map((d) => d.hostPath)).toContain("/dev/davinci0");
    expect(p.env).not.toHaveProperty("ASCEND_VISIBLE_DEVICES");
  });
});

describe("planEnvironment: debugging", () => {
  it("ptrace adds SYS_PTRACE and seccomp=unconfined, not privileged", () => {
    const p = plan({ debug: "ptrace" });
    expect(p.capAdd).toEqual(["SYS_PTRACE"]);
    expect(p.securityOpt).toEqual(["seccomp=unconfined"]);
    expect(p.privileged).toBe(false);
  });

  it("privileged runs the container privileged, without the narrower options", () => {
    const p = plan({ debug: "privileged" });
    expect(p.privileged).toBe(true);
    expect(p.capAdd).toEqual([]);
    expect(p.securityOpt).toEqual([]);
  });
});

describe("planEnvironment: ports", () => {
  it("an explicit port in use is PORT_IN_USE naming the port, the flag and the holder", () => {
    const facts = dockerFacts({ portsInUse: [{ port: 2222, by: "container", detail: "other" }] });
    const err = expectError(() => plan({ sshPort: 2222 }, facts), "PORT_IN_USE");
    expect(err.message).toContain("2222");
    expect(err.message).toContain("--ssh-port");
    expect(err.message).toContain("container other");
    expect(err.hint).toContain("2223");
  });

  it("the same port for two purposes is PORT_CONFLICT", () => {
    const err = expectError(() => plan({ sshPort: "9000", httpPort: 9000 }), "PORT_CONFLICT");
    expect(err.message).toContain("9000");
    expect(err.message).toMatch(/ssh/);
    expect(err.message).toMatch(/http/);
  });

  it("a taken default moves to the next free port with a PORT_MOVED warning", () => {
    const p = plan({}, dockerFacts({ portsInUse: [50022, 50023, 1104] }));
    expect(portTuples(p)).toEqual([
      ["ssh", "", 50024, 22],
      ["editor", "", 1105, 1104],
      ["http", "", 8080, 8080],
    ]);
    const moved = p.warnings.filter((w) => w.code === "PORT_MOVED");
    expect(moved).toHaveLength(2);
    expect(moved[0]?.message).toContain("50022");
    expect(moved[0]?.message).toContain("50024");
    expect(moved[0]?.message).toContain("--ssh-port");
    expect(moved[1]?.message).toContain("--editor-port");
    expect(p.ports[0]?.note).toContain("50024");
    // The SSH banner is awaited where SSH really is.
    expect(p.readiness).toContainEqual({ kind: "ssh-banner", port: 50024 });
  });

  it("a moved default HTTP port still reaches the flowunit's 8080 inside", () => {
    const p = plan({}, dockerFacts({ portsInUse: [8080] }));
    expect(p.ports.find((x) => x.purpose === "http")).toMatchObject({
      hostPort: 8081,
      containerPort: 8080,
    });
  });

  it("an explicit port of one purpose moves another's default out of its way", () => {
    const p = plan({ editorPort: 50022 });
    expect(portTuples(p).slice(0, 2)).toEqual([
      ["ssh", "", 50023, 22],
      ["editor", "", 50022, 1104],
    ]);
    expect(warningCodes(p)).toContain("PORT_MOVED");
  });

  it("a port held by the environment being planned counts as free", () => {
    const held = [
      { port: 50022, by: "modelbox-dev" as const, detail: "mybox" },
      { port: 1104, by: "modelbox-dev" as const, detail: "mybox" },
    ];
    const same = plan({ name: "mybox", sshPort: 50022 }, dockerFacts({ portsInUse: held }));
    expect(portTuples(same).map((t) => t[2])).toEqual([50022, 1104, 8080]);
    expect(warningCodes(same)).not.toContain("PORT_MOVED");

    const other = plan({ name: "otherbox" }, dockerFacts({ portsInUse: held }));
    expect(portTuples(other).map((t) => t[2])).toEqual([50023, 1105, 8080]);
    expectError(
      () => plan({ name: "otherbox", sshPort: 50022 }, dockerFacts({ portsInUse: held })),
      "PORT_IN_USE",
    );
  });

  it("reuses the port mappings the environment had before, unless they are taken now", () => {
    const previousPorts = {
      ssh: { hostPort: 50030, containerPort: 22 },
      editor: { hostPort: 1110, containerPort: 1104 },
      http: { hostPort: 8090, containerPort: 8090 },
    };
    const p = planEnvironment({ image: SEED_IMAGE, now: NOW }, dockerFacts(), { previousPorts });
    expect(portTuples(p).map((t) => t[2])).toEqual([50030, 1110, 8090]);
    expect(p.warnings.filter((w) => w.code === "PORT_MOVED")).toEqual([]);

    const taken = planEnvironment(
      { image: SEED_IMAGE, now: NOW },
      dockerFacts({ portsInUse: [50030] }),
      { previousPorts },
    );
    expect(taken.ports[0]?.hostPort).toBe(50022);
    // Losing the old port is said, not silent.
    const moved = taken.warnings.find((w) => w.code === "PORT_MOVED");
    expect(moved?.message).toContain("50030");
  });

  it("keeps the HTTP mapping an environment had (an earlier --http-port 9000 stays 9000→9000)", () => {
    const previousPorts = { http: { hostPort: 9000, containerPort: 9000 } };
    const p = planEnvironment({ image: SEED_IMAGE, now: NOW }, dockerFacts(), { previousPorts });
    const http = p.ports.find((x) => x.purpose === "http");
    expect([http?.hostPort, http?.containerPort]).toEqual([9000, 9000]);
    // and a moved default (8081→8080) stays that way too
    const moved = planEnvironment({ image: SEED_IMAGE, now: NOW }, dockerFacts(), {
      previousPorts: { http: { hostPort: 8081, containerPort: 8080 } },
    });
    const m = moved.ports.find((x) => x.purpose === "http");
    expect([m?.hostPort, m?.containerPort]).toEqual([8081, 8080]);
  });

  it("an explicit port wins over the earlier one", () => {
    const p = planEnvironment({ image: SEED_IMAGE, now: NOW, sshPort: 40000 }, dockerFacts(), {
      previousPorts: { ssh: { hostPort: 50030, containerPort: 22 } },
    });
    expect(p.ports[0]?.hostPort).toBe(40000);
  });

  it.each([
    ["sshPort", "--ssh-port"],
    ["editorPort", "--editor-port"],
    ["httpPort", "--http-port"],
  ] as const)("invalid %s values are INVALID_PORT naming %s", (key, flag) => {
    for (const value of ["abc", "0", "70000", "-1", "80.5", "", 65536]) {
      const err = expectError(() => plan({ [key]: value }), "INVALID_PORT");
      expect(err.message).toContain(flag);
    }
  });

  it("accepts the ends of the port range", () => {
    expect(plan({ sshPort: 1 }).ports[0]?.hostPort).toBe(1);
    expect(plan({ sshPort: "65535" }).ports[0]?.hostPort).toBe(65535);
  });

  it("an explicit --http-port 9000 maps 9000→9000, as the seed does", () => {
    for (const httpPort of [9000, "9000"]) {
      const http = plan({ httpPort }).ports.find((x) => x.purpose === "http");
      expect(http).toMatchObject({ hostPort: 9000, containerPort: 9000 });
    }
  });

  it("--bind publishes every port on that address; a non-IP is INVALID_OPTION", () => {
    expect(plan({ bind: "127.0.0.1" }).ports.map((x) => x.hostIp)).toEqual([
      "127.0.0.1",
      "127.0.0.1",
      "127.0.0.1",
    ]);
    expect(plan({ bind: "::1" }).ports.every((x) => x.hostIp === "::1")).toBe(true);
    expectError(() => plan({ bind: "localhost" }), "INVALID_OPTION");
  });

  it("a runtime image publishes only the HTTP port and waits only for running", () => {
    const p = plan({ image: RUNTIME_IMAGE });
    expect(p.imageKind).toBe("runtime");
    expect(portTuples(p)).toEqual([["http", "", 8080, 8080]]);
    expect(p.readiness).toEqual([{ kind: "running" }]);
    expect(p.labels[LABELS.ports]).toBe("http=8080");
  });

  it("a custom image waits only for running, unless --kind develop says it has sshd", () => {
    const custom = plan({ image: CUSTOM_IMAGE });
    expect(custom.imageKind).toBe("unknown");
    expect(custom.readiness).toEqual([{ kind: "running" }]);
    expect(custom.notes.join("\n")).toMatch(/--kind develop/);

    const develop = plan({ image: CUSTOM_IMAGE, kind: "develop" });
    expect(develop.readiness).toEqual([{ kind: "running" }, { kind: "ssh-banner", port: 50022 }]);
    expect(plan({ image: CUSTOM_IMAGE, kind: "runtime" }).ports.map((x) => x.purpose)).toEqual([
      "http",
    ]);
  });
});

describe("planEnvironment: mounts", () => {
  it("a relative source is INVALID_MOUNT with a hint using $PWD", () => {
    const err = expectError(() => plan({ mounts: ["./data:/data"] }), "INVALID_MOUNT");
    expect(err.message).toContain("./data");
    expect(err.hint).toContain('"$PWD/data:/data"');
  });

  it("/data:/data:ro is a read-only user mount", () => {
    const p = plan({ mounts: ["/data:/data:ro", "/src:/workspace"] });
    expect(mountOf(p, "/data")).toEqual({
      source: "/data",
      target: "/data",
      readOnly: true,
      purpose: "user",
    });
    expect(mountOf(p, "/workspace")).toMatchObject({ source: "/src", readOnly: false });
  });

  it("an unknown mode is INVALID_MOUNT", () => {
    expectError(() => plan({ mounts: ["/data:/data:rx"] }), "INVALID_MOUNT");
    expectError(() => plan({ mounts: ["/data:/data:ro:z"] }), "INVALID_MOUNT");
  });

  it("--no-default-mounts leaves only the cgroup mount", () => {
    const p = plan({ defaultMounts: false });
    expect(p.mounts.map((m) => m.target)).toEqual(["/sys/fs/cgroup"]);
    expect(plan({ defaultMounts: false, mounts: ["/data:/data"] }).mounts).toHaveLength(2);
  });

  it("a user mount on /home replaces the default one", () => {
    const p = plan({ mounts: ["/srv/users:/home"] });
    const homes = p.mounts.filter((m) => m.target === "/home");
    expect(homes).toEqual([
      { source: "/srv/users", target: "/home", readOnly: false, purpose: "user" },
    ]);
  });

  it("two mounts on one target, or one on /sys/fs/cgroup, are INVALID_MOUNT", () => {
    expectError(() => plan({ mounts: ["/a:/data", "/b:/data"] }), "INVALID_MOUNT");
    const err = expectError(() => plan({ mounts: ["/a:/sys/fs/cgroup"] }), "INVALID_MOUNT");
    expect(err.hint).toMatch(/systemd/);
  });
});

describe("planEnvironment: names and images", () => {
  it.each(["-x", "a b", "über", "x", "_x", "a/b", "x".repeat(129)])(
    "%j is INVALID_NAME",
    (name) => {
      expectError(() => plan({ name }), "INVALID_NAME");
    },
  );

  it("accepts Docker-style names", () => {
    expect(plan({ name: "my.Box_1-dev" }).name).toBe("my.Box_1-dev");
  });

  it.each([
    "",
    "Modelbox/modelbox-develop",
    "docker pull modelbox/x",
    "https://hub.docker.com/modelbox/x",
    "modelbox/x:",
    "modelbox/x@sha256:abc",
    "modelbox//x",
  ])("image %j is INVALID_IMAGE", (image) => {
    expectError(() => plan({ image }), "INVALID_IMAGE");
  });

  it("keeps the registry as written and adds :latest only when no tag is given", () => {
    expect(plan({ image: CUSTOM_IMAGE }).image).toBe(CUSTOM_IMAGE);
    expect(plan({ image: `swr.cn-north-4.myhuaweicloud.com/${SEED_IMAGE}` }).image).toBe(
      `swr.cn-north-4.myhuaweicloud.com/${SEED_IMAGE}:latest`,
    );
    expect(plan({ image: `swr.cn-north-4.myhuaweicloud.com/${SEED_IMAGE}:v1.5.3` }).imageKind).toBe(
      "develop",
    );
  });
});

describe("planEnvironment: spec hash", () => {
  it("is the same for the same options and facts", () => {
    const a = plan({ mounts: ["/data:/data:ro"], debug: "ptrace" }, gpuFacts(2));
    const b = plan({ mounts: ["/data:/data:ro"], debug: "ptrace" }, gpuFacts(2));
    expect(a.specHash).toBe(b.specHash);
    expect(a.labels[LABELS.spec]).toBe(b.labels[LABELS.spec]);
  });

  it.each<[string, Partial<EnvironmentOptions>]>([
    ["another ssh port", { sshPort: 50023 }],
    ["another http port", { httpPort: 9000 }],
    ["debug ptrace", { debug: "ptrace" }],
    ["debug privileged", { debug: "privileged" }],
    ["an extra mount", { mounts: ["/data:/data"] }],
    ["a read-only mount", { mounts: ["/data:/data:ro"] }],
    ["no default mounts", { defaultMounts: false }],
    ["another tag", { image: `${SEED_IMAGE}:v1.5.3` }],
    ["a bind address", { bind: "127.0.0.1" }],
    ["no GPU", { gpus: "none" }],
    ["one GPU", { gpus: "0" }],
  ])("changes with %s", (_label, change) => {
    const facts = gpuFacts(2);
    expect(plan(change, facts).specHash).not.toBe(plan({}, facts).specHash);
  });

  it("changes with the host facts that shape the container", () => {
    const base = plan({}, dockerFacts()).specHash;
    expect(plan({}, dockerFacts({ cgroupVersion: 2 })).specHash).not.toBe(base);
    expect(plan({}, dockerFacts({ portsInUse: [50022] })).specHash).not.toBe(base);
    expect(plan({ image: CANN_IMAGE }, ascendFacts()).specHash).not.toBe(
      plan({ image: CANN_IMAGE }, ascendFacts({ runtimes: ["ascend"] })).specHash,
    );
  });

  it("does not depend on the order options, ports or facts were written in", () => {
    const a = planEnvironment(
      { image: SEED_IMAGE, sshPort: 40022, httpPort: 9000, editorPort: 2104, debug: "ptrace" },
      dockerFacts({ portsInUse: [50022, 8080, 1104] }),
    );
    const b = planEnvironment(
      { debug: "ptrace", editorPort: "2104", httpPort: "9000", image: SEED_IMAGE, sshPort: 40022 },
      dockerFacts({ portsInUse: [1104, 8080, 50022] }),
    );
    expect(b.specHash).toBe(a.specHash);
  });

  it("does not depend on the order of env keys or nested properties", () => {
    const spec = specOf(plan({}, gpuFacts(1)));
    const reordered = Object.fromEntries(Object.entries(spec).reverse());
    reordered.env = Object.fromEntries(
      Object.entries(spec.env as Record<string, string>).reverse(),
    );
    expect(hashSpec(reordered)).toBe(hashSpec(spec));
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: 2 } })).toBe(
      canonicalJson({ a: { c: 2, d: [1, { e: 3, f: 2 }] }, b: 1 }),
    );
    // Array order is meaningful (mount order, for one) and does change the hash.
    expect(hashSpec({ x: [1, 2] })).not.toBe(hashSpec({ x: [2, 1] }));
  });

  it("ignores what does not shape the container: the tool version and the clock", () => {
    const a = plan({ toolVersion: "0.1.0", name: "box" });
    const b = plan({ toolVersion: "0.2.0", name: "box", now: NOW + 60 });
    expect(b.specHash).toBe(a.specHash);
  });

  it("stores a readable spec label from which the differences can be told", () => {
    const a = plan();
    const stored = JSON.parse(a.labels[LABELS.spec] ?? "") as Record<string, unknown>;
    expect(stored.ports).toEqual(["ssh=50022->22", "editor=1104->1104", "http=8080->8080"]);
    expect(stored.mounts).toEqual([
      "/sys/fs/cgroup:/sys/fs/cgroup:ro",
      "/opt/modelbox:/opt/modelbox",
      "/home:/home",
    ]);
    expect(hashSpec(stored)).toBe(a.specHash);

    const b = plan({ sshPort: 50023, debug: "ptrace" });
    const diff = diffSpecs(stored, specOf(b));
    expect(diff).toHaveLength(3);
    expect(diff.find((l) => l.startsWith("ports:"))).toContain("ssh=50023->22");
    expect(diff.some((l) => l.startsWith("capAdd:"))).toBe(true);
    expect(diff.some((l) => l.startsWith("securityOpt:"))).toBe(true);
  });
});

describe("planEnvironment: odd but valid input", () => {
  it("a runtime image still rejects a bad --ssh-port and notes that a good one is ignored", () => {
    const runtime = "modelbox/modelbox-runtime-tensorflow_2.6.0-cuda_11.2-ubuntu-x86_64:latest";
    expectError(() => plan({ image: runtime, sshPort: "abc" }), "INVALID_PORT");
    const p = plan({ image: runtime, sshPort: 40022 });
    expect(p.ports.map((x) => x.purpose)).toEqual(["http"]);
    expect(p.notes.join("\n")).toContain("--ssh-port is ignored");
  });

  it("GPU keywords ignore case; a repeated GPU id is a mistake said as such", () => {
    expect(plan({ gpus: "ALL" }, gpuFacts(2)).gpu).toEqual({
      mode: "device-request",
      devices: "all",
    });
    const err = expectError(() => plan({ gpus: "0,0,1" }, gpuFacts(2)), "INVALID_OPTION");
    expect(err.message).toContain("GPU 0 is named more than once");
  });
});
