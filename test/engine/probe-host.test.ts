import { execFileSync } from "node:child_process";
import { statfsSync } from "node:fs";
import { createServer } from "node:net";
import { arch } from "node:os";
import { expect, it } from "vitest";
import { DockerEngine } from "../../src/engine/docker/docker-engine.js";
import { probeHost } from "../../src/host/probe-host.js";
import { systemRunner } from "../../src/host/runner.js";
import { TEST_ENGINE, describeEngine, engineClient } from "../support/engine.js";
import { freePorts } from "../support/fixture-names.js";

const FIREWALL_TOOLS = ["ufw", "firewall-cmd", "iptables-save", "nft"];

describeEngine("host probes on this machine (real engine, real tools)", () => {
  it("engine facts match what the daemon itself reports", async () => {
    const facts = await probeHost(new DockerEngine(), { ports: [] });
    const version = await engineClient().version();
    const info = (await engineClient().info()) as { CgroupVersion?: string; ServerVersion: string };
    expect(facts.engine.kind).toBe(TEST_ENGINE);
    expect(facts.engine.serverVersion).toBe(info.ServerVersion);
    expect(facts.engine.apiVersion).toBe(version.ApiVersion);
    expect(facts.engine.cgroupVersion).toBe(info.CgroupVersion === "2" ? 2 : 1);
    expect(facts.engine.arch).toBe(arch() === "arm64" ? "aarch64" : "x86_64");
    expect(facts.engine.runtimes).toContain("runc");
    expect(facts.engine.dataRootFreeBytes).toBeGreaterThan(0);
    expect(statfsSync(facts.engine.dataRoot ?? "/").bsize).toBeGreaterThan(0);
  });

  it("the engine's version, API version and kind, read from /_ping's headers, are /version's", async () => {
    const engine = new DockerEngine();
    const [fromPing, kind] = await Promise.all([engine.version(), engine.kind()]);
    const version = await engineClient().version();
    expect(fromPing).toMatchObject({
      version: version.Version,
      apiVersion: version.ApiVersion,
      os: version.Os,
    });
    expect(kind).toBe(TEST_ENGINE);
  });

  it("the accelerator probes report what this host has (CI machines have no GPU/NPU: the CPU path, for real)", async () => {
    const facts = await probeHost(new DockerEngine(), { ports: [] });
    let hasNvidiaSmi = true;
    try {
      execFileSync("nvidia-smi", ["-L"], { stdio: "ignore" });
    } catch (err) {
      hasNvidiaSmi = (err as NodeJS.ErrnoException).code !== "ENOENT";
    }
    if (hasNvidiaSmi) expect(facts.nvidia?.smi).not.toBe("absent");
    else expect(facts.nvidia).toMatchObject({ smi: "absent", gpus: [] });
    const davinci = execFileSync("ls", ["/dev"], { encoding: "utf8" })
      .split("\n")
      .filter((n) => /^davinci\d+$/.test(n));
    expect(facts.ascend?.chips.length).toBe(davinci.length);
  });

  it("the firewall's rules are read unless asked not to (up reads them only when a port does not answer)", async () => {
    const ran: string[] = [];
    const run = async (program: string, args: string[]) => {
      ran.push(program);
      return systemRunner()(program, args);
    };
    const skipped = await probeHost(new DockerEngine(), { ports: [], run, firewall: false });
    expect(skipped.firewall).toBeUndefined();
    expect(ran.filter((p) => FIREWALL_TOOLS.includes(p))).toEqual([]);
    const read = await probeHost(new DockerEngine(), { ports: [], run });
    expect(read.firewall?.tool).toBeDefined();
    expect(ran.filter((p) => FIREWALL_TOOLS.includes(p)).length).toBeGreaterThan(0);
  });

  it("a port held by a host process is reported as such", async () => {
    const [port] = await freePorts(1);
    const server = createServer();
    await new Promise<void>((r) => server.listen(Number(port), "127.0.0.1", r));
    try {
      const facts = await probeHost(new DockerEngine(), { ports: [Number(port)] });
      expect(facts.portsInUse).toContainEqual({ port, by: "host" });
    } finally {
      server.close();
    }
  });
});
