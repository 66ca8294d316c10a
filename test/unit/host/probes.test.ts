import { describe, expect, it } from "vitest";
import type { ContainerSummary } from "../../../src/engine/types.js";
import { probeAscend } from "../../../src/host/probe-ascend.js";
import { probeNvidia } from "../../../src/host/probe-nvidia.js";
import { probePorts } from "../../../src/host/probe-ports.js";
import type { CommandResult, CommandRunner } from "../../../src/host/runner.js";
import { LABELS } from "../../../src/labels.js";
import { recordedIn } from "../../support/recorded.js";

// No GPU or Ascend card on the machines these tests run on: the probes get recorded real output
// through an injected runner, exactly as they would get it from the host tools.
const recorded = recordedIn();

type Script = Record<string, CommandResult>;
const ok = (stdout: string): CommandResult => ({ found: true, exitCode: 0, stdout, stderr: "" });
const failed = (stdout: string, exitCode = 9): CommandResult => ({
  found: true,
  exitCode,
  stdout,
  stderr: "",
});
const missing: CommandResult = { found: false, exitCode: null, stdout: "", stderr: "" };

function runner(script: Script): CommandRunner & { calls: string[] } {
  const calls: string[] = [];
  const run = (program: string, args: string[]) => {
    const key = [program, ...args].join(" ");
    calls.push(key);
    return Promise.resolve(script[key] ?? missing);
  };
  return Object.assign(run, { calls });
}

describe("probeNvidia", () => {
  it("a host without the NVIDIA driver: absent, no GPUs", async () => {
    const facts = await probeNvidia(runner({}));
    expect(facts).toEqual({ smi: "absent", gpus: [], toolkitPresent: false });
  });

  it("driver 535 with two GPUs listed by -L and the toolkit: GPUs with UUIDs, CUDA, toolkit version", async () => {
    const facts = await probeNvidia(
      runner({
        "nvidia-smi": ok(
          recorded("nvidia-smi/default-580.95.05-cuda13.0-2xh100-processes-truncated-names.txt"),
        ),
        "nvidia-smi -L": ok(
          "GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-11111111-2222-3333-4444-555555555555)\nGPU 1: NVIDIA H100 80GB HBM3 (UUID: GPU-66666666-7777-8888-9999-000000000000)\n",
        ),
        "nvidia-ctk --version": ok(recorded("nvidia-ctk/nvidia-ctk-version-1.17.8-opensuse.txt")),
      }),
    );
    expect(facts.smi).toBe("ok");
    expect(facts.driverVersion).toBe("580.95.05");
    expect(facts.cudaVersion).toBe("13.0");
    expect(facts.gpus.map((g) => g.index)).toEqual([0, 1]);
    expect(facts.gpus[1]?.uuid).toBe("GPU-66666666-7777-8888-9999-000000000000");
    expect(facts.gpus[0]?.name).toBe("NVIDIA H100 80GB HBM3");
    expect(facts.toolkitPresent).toBe(true);
    expect(facts.toolkitVersion).toBe("1.17.8");
  });

  it("old toolkits without nvidia-ctk are found through nvidia-container-cli", async () => {
    const facts = await probeNvidia(
      runner({
        "nvidia-smi": ok(
          recorded("nvidia-smi/default-440.82-cuda10.2-gtx1080-graphics-processes.txt"),
        ),
        "nvidia-container-cli --version": ok(
          "version: 1.0.5\nbuild date: 2019-09-06T16:59+00:00\n",
        ),
      }),
    );
    expect(facts.driverVersion).toBe("440.82");
    expect(facts.cudaVersion).toBe("10.2");
    expect(facts.toolkitPresent).toBe(true);
  });

  it("nvidia-smi installed but the driver not loaded: error with the reason, not 'no GPU'", async () => {
    const facts = await probeNvidia(
      runner({
        "nvidia-smi": failed(recorded("nvidia-smi/error-couldnt-communicate-with-driver.txt")),
      }),
    );
    expect(facts.smi).toBe("error");
    expect(facts.smiError).toMatch(/driver/i);
    expect(facts.gpus).toEqual([]);
  });
});

describe("probeAscend", () => {
  it("chips are the /dev/davinci<N> nodes; npu-smi adds the model (310P3 with card id 32896)", async () => {
    const facts = await probeAscend(
      runner({
        "npu-smi info": ok(recorded("npu-smi/info-310P3-npu-smi-25.5.2-large-card-id.txt")),
      }),
      () =>
        Promise.resolve(["null", "davinci_manager", "davinci0", "devmm_svm", "hisi_hdc", "tty"]),
    );
    expect(facts.chips).toEqual([0]);
    expect(facts.chipName).toMatch(/^310P/);
    expect(facts.npuSmi).toBe("ok");
  });

  it("four 310 chips: indices sorted numerically, driver version from npu-smi", async () => {
    const facts = await probeAscend(
      runner({
        "npu-smi info": ok(recorded("npu-smi/info-310-atlas800-3000-npu-smi-21.0.4-4chips.txt")),
      }),
      () => Promise.resolve(["davinci10", "davinci2", "davinci3", "davinci1", "davinci_manager"]),
    );
    expect(facts.chips).toEqual([1, 2, 3, 10]);
    expect(facts.chipName).toBe("310");
    expect(facts.driverVersion).toBeTruthy();
  });

  it("no Ascend driver: no chips, npu-smi absent", async () => {
    const facts = await probeAscend(runner({}), () => Promise.resolve(["null", "tty"]));
    expect(facts).toEqual({ chips: [], npuSmi: "absent" });
  });
});

describe("probePorts", () => {
  const container = (
    name: string,
    labels: Record<string, string>,
    hostPorts: number[],
  ): ContainerSummary => ({
    id: name,
    name,
    status: "running",
    image: "x",
    labels,
    created: new Date(0),
    ports: hostPorts.map((p) => ({ hostIp: "0.0.0.0", hostPort: p, containerPort: p })),
  });

  it("tells our environments, other containers and host processes apart", async () => {
    const ours = container(
      "mine",
      {
        [LABELS.managed]: "true",
        [LABELS.name]: "mine",
        [LABELS.ports]: "ssh=50022,editor=1104,http=8080",
        // --publish ports, from its spec (UDP ones hold no TCP port).
        [LABELS.spec]: JSON.stringify({ publish: ["127.0.0.1:6006:6006", "5353:53/udp"] }),
      },
      [],
    );
    const other = container("web", {}, [8081]);
    const busy = new Set([50030]);
    const uses = await probePorts([50022, 8081, 50030, 50031], [ours, other], (port) =>
      Promise.resolve(!busy.has(port)),
    );
    expect(uses).toEqual([
      { port: 1104, by: "modelbox-dev", detail: "mine" },
      { port: 6006, by: "modelbox-dev", detail: "mine" },
      { port: 8080, by: "modelbox-dev", detail: "mine" },
      { port: 8081, by: "container", detail: "web" },
      { port: 50022, by: "modelbox-dev", detail: "mine" },
      { port: 50030, by: "host" },
    ]);
  });
});

describe("probeFirewall", () => {
  it("an active ufw speaks for the rules", async () => {
    const { probeFirewall } = await import("../../../src/host/firewall/probe-firewall.js");
    const run = runner({
      "ufw status verbose": ok(recorded("firewall/ufw-status-verbose-active-route-allow-fwd.txt")),
      "iptables-save": ok(recorded("firewall/iptables-save-1.6.1-fresh-docker-host-2019.txt")),
    });
    const facts = await probeFirewall(run);
    expect(facts.tool).toBe("ufw");
    expect(facts.active).toBe(true);
    expect(run.calls).not.toContain("iptables-save");
  });

  it("an inactive ufw falls through to the raw iptables rules of a fresh Docker host: nothing blocked", async () => {
    const { probeFirewall } = await import("../../../src/host/firewall/probe-firewall.js");
    const facts = await probeFirewall(
      runner({
        "ufw status verbose": ok(recorded("firewall/ufw-status-inactive.txt")),
        "iptables-save": ok(recorded("firewall/iptables-save-1.6.1-fresh-docker-host-2019.txt")),
      }),
    );
    expect(facts).toMatchObject({ tool: "iptables", blockedPorts: [] });
  });

  it("a DOCKER-USER drop rule for the SSH port is reported as blocking it", async () => {
    const { probeFirewall } = await import("../../../src/host/firewall/probe-firewall.js");
    // A fresh Docker host's rules plus one line a user added to DOCKER-USER.
    const rules = recorded("firewall/iptables-save-1.6.1-fresh-docker-host-2019.txt").replace(
      "-A DOCKER-USER -j RETURN",
      "-A DOCKER-USER -p tcp -m conntrack --ctorigdstport 50022 -j DROP\n-A DOCKER-USER -j RETURN",
    );
    expect(rules).toContain("--ctorigdstport 50022 -j DROP");
    const facts = await probeFirewall(runner({ "iptables-save": ok(rules) }));
    expect(facts.blockedPorts).toEqual([50022]);
  });

  it("no readable rules (not root, no tools): tool none, said so", async () => {
    const { probeFirewall } = await import("../../../src/host/firewall/probe-firewall.js");
    const facts = await probeFirewall(runner({}));
    expect(facts).toMatchObject({ tool: "none", active: false });
    expect(facts.detail).toMatch(/not root/);
  });
});
