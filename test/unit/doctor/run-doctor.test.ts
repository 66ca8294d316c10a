import { describe, expect, it } from "vitest";
import { runDoctor, summarize } from "../../../src/doctor/run-doctor.js";
import type { DoctorCheck } from "../../../src/doctor/types.js";
import type { HostFacts } from "../../../src/host/facts.js";
import { dockerFacts } from "../../support/facts.js";

// Each rule of `modelbox-dev doctor`, on facts of the host it is about (no GPU or NPU here).
const GiB = 1024 ** 3;

function check(facts: HostFacts, id: string): DoctorCheck {
  const found = runDoctor(facts).find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
}

function withEngine(facts: HostFacts, engine: Partial<HostFacts["engine"]>): HostFacts {
  return { ...facts, engine: { ...facts.engine, ...engine } };
}

describe("doctor: engine, cgroup, disk", () => {
  it("a current Docker passes and names its version", () => {
    const c = check(dockerFacts(), "engine");
    expect(c.status).toBe("pass");
    expect(c.found).toContain("Docker 20.10.24");
  });

  it("Podman is named and passes (GPUs through CDI); a rootless engine is a warning with what that limits", () => {
    const podman = check(withEngine(dockerFacts(), { kind: "podman" }), "engine");
    expect(podman.status).toBe("pass");
    expect(podman.found).toMatch(/^Podman .*CDI/);
    expect(check(withEngine(dockerFacts(), { rootless: true }), "rootless").status).toBe("warn");
    expect(runDoctor(dockerFacts()).some((c) => c.id === "rootless")).toBe(false);
  });

  it("cgroup v2 on Docker 19.03 fails; on 20.10+ it warns about old systemd in images", () => {
    expect(check(dockerFacts({ version: "19.03.12", cgroupVersion: 2 }), "cgroup")).toMatchObject({
      status: "fail",
      fix: expect.stringContaining("20.10") as string,
    });
    expect(check(dockerFacts({ cgroupVersion: 2 }), "cgroup").status).toBe("warn");
    expect(check(dockerFacts(), "cgroup").status).toBe("pass");
  });

  it("free disk: fail below 6 GiB, warn below 20 GiB, with the prune command", () => {
    const disk = (bytes: number) =>
      check(
        withEngine(dockerFacts(), { dataRoot: "/var/lib/docker", dataRootFreeBytes: bytes }),
        "disk",
      );
    expect(disk(4 * GiB)).toMatchObject({
      status: "fail",
      fix: expect.stringContaining("docker system prune") as string,
    });
    expect(disk(12 * GiB).status).toBe("warn");
    expect(disk(100 * GiB)).toMatchObject({
      status: "pass",
      found: expect.stringContaining("100.0 GiB") as string,
    });
  });
});

describe("doctor: NVIDIA", () => {
  it("no driver at all is fine: CUDA images run on the CPU", () => {
    const c = check(dockerFacts(), "nvidia");
    expect(c.status).toBe("pass");
    expect(c.found).toMatch(/CPU/);
  });

  it("nvidia-smi failing (driver not loaded) fails with the reason", () => {
    const c = check(
      dockerFacts({
        nvidia: {
          gpus: 0,
          smi: "error",
          smiError: "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver",
        },
      }),
      "nvidia",
    );
    expect(c.status).toBe("fail");
    expect(c.found).toContain("couldn't communicate");
    expect(c.fix).toMatch(/reboot/i);
  });

  it("GPUs without the toolkit fail with the install-and-restart command", () => {
    const c = check(dockerFacts({ nvidia: { gpus: 2, toolkitPresent: false } }), "nvidia-toolkit");
    expect(c.status).toBe("fail");
    expect(c.fix).toContain("nvidia-container-toolkit");
    expect(c.fix).toContain("systemctl restart docker");
  });

  it("Docker older than 19.03 with GPUs needs nvidia-docker2, unless its runtime is registered", () => {
    expect(
      check(
        dockerFacts({ version: "18.09.0", nvidia: { gpus: 1, toolkitPresent: false } }),
        "nvidia-toolkit",
      ),
    ).toMatchObject({
      status: "fail",
      fix: expect.stringContaining("nvidia-docker2") as string,
    });
    expect(
      check(
        dockerFacts({ version: "18.09.0", runtimes: ["nvidia"], nvidia: { gpus: 1 } }),
        "nvidia-toolkit",
      ),
    ).toMatchObject({
      status: "pass",
      found: expect.stringContaining("--runtime=nvidia") as string,
    });
  });

  it("the toolkit without a GPU driver is a warning", () => {
    const facts = dockerFacts({ nvidia: { gpus: 0, smi: "absent", toolkitPresent: true } });
    expect(check(facts, "nvidia-toolkit").status).toBe("warn");
  });

  it("says which CUDA images the driver can run (440.33 → 10.2 only; 450.80.02 → 11.2 by compatibility)", () => {
    const old = check(
      dockerFacts({ nvidia: { gpus: 1, driverVersion: "440.33.01", cudaVersion: "10.2" } }),
      "nvidia",
    ).found;
    expect(old).toContain("CUDA 10.2 images: yes");
    expect(old).toContain("CUDA 11.2 images: no (needs driver >= 460.27.03)");
    const compat = check(
      dockerFacts({ nvidia: { gpus: 1, driverVersion: "450.80.02", cudaVersion: "11.0" } }),
      "nvidia",
    ).found;
    expect(compat).toContain("CUDA 11.2 images: yes (minor-version compatibility)");
  });
});

describe("doctor: Ascend", () => {
  it("310P chips: use the -d310p images; 310: the plain cann images", () => {
    expect(
      check(dockerFacts({ ascend: { chips: [0, 1], chipName: "310P3" } }), "ascend").found,
    ).toContain("-d310p");
    expect(
      check(dockerFacts({ ascend: { chips: [0], chipName: "310" } }), "ascend").found,
    ).toContain("plain cann");
  });

  it("chips but npu-smi missing: a warning that 310 and 310P cannot be told apart", () => {
    const facts = dockerFacts({ ascend: { chips: [0] } });
    const noSmi: HostFacts = { ...facts, ascend: { chips: [0], npuSmi: "absent" } };
    const c = check(noSmi, "ascend");
    expect(c.status).toBe("warn");
    expect(c.found).toContain("310P");
  });

  it("910 chips: ModelBox has no image for them", () => {
    expect(check(dockerFacts({ ascend: { chips: [0], chipName: "910B" } }), "ascend").status).toBe(
      "warn",
    );
  });
});

describe("doctor: ports and firewall", () => {
  it("a taken default port is a warning naming who holds it", () => {
    const c = check(
      dockerFacts({ portsInUse: [{ port: 50022, by: "container", detail: "gitlab" }] }),
      "ports",
    );
    expect(c.status).toBe("warn");
    expect(c.found).toContain("50022 (SSH) by container gitlab");
  });

  it("a firewall that drops a published port fails with the command that opens it, per tool", () => {
    const blocked = (tool: "iptables" | "ufw" | "firewalld" | "nftables") =>
      check(
        { ...dockerFacts(), firewall: { tool, active: true, blockedPorts: [50022] } },
        "firewall",
      );
    expect(blocked("iptables")).toMatchObject({
      status: "fail",
      fix: expect.stringContaining("DOCKER-USER") as string,
    });
    expect(blocked("ufw").fix).toContain("ufw route allow");
    expect(blocked("firewalld").fix).toContain("firewall-cmd");
    expect(blocked("nftables").fix).toContain("--ctorigdstport 50022");
    expect(
      check(
        { ...dockerFacts(), firewall: { tool: "iptables", active: true, blockedPorts: [] } },
        "firewall",
      ).status,
    ).toBe("pass");
  });
});

describe("doctor: summary", () => {
  it("counts each status", () => {
    const checks = runDoctor(dockerFacts({ nvidia: { gpus: 2, toolkitPresent: false } }));
    const s = summarize(checks);
    expect(s.fail).toBe(1);
    expect(s.pass + s.warn + s.fail).toBe(checks.length);
  });
});

describe("doctor for a remote engine", () => {
  it("names the engine's host, and leaves the firewall unchecked rather than guessed", () => {
    const facts = {
      ...dockerFacts(),
      firewall: { tool: "unknown" as const, active: false, blockedPorts: [], detail: "remote" },
      remote: {
        host: "127.0.0.2",
        probe: "container" as const,
        image: "debian:12",
        unknown: ["the firewall"],
      },
    };
    const checks = runDoctor(facts);
    expect(checks[0]).toMatchObject({ id: "remote", status: "pass" });
    expect(checks[0]?.found).toContain("127.0.0.2");
    expect(checks.find((c) => c.id === "firewall")).toMatchObject({ status: "warn" });
    expect(checks.find((c) => c.id === "firewall")?.found).toMatch(/^not checked/);
  });

  it("without a probe, accelerators and ports are not checked (unknown is not absent)", () => {
    const checks = runDoctor({
      ...dockerFacts(),
      remote: { host: "gpu1", probe: "none" as const, unknown: ["GPUs and NPUs"] },
    });
    expect(checks.map((c) => c.id)).not.toContain("nvidia");
    expect(checks.find((c) => c.id === "remote")).toMatchObject({ status: "warn" });
  });
});
