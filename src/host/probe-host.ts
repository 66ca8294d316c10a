import type { ContainerEngine, ContainerSummary } from "../engine/types.js";
import { LABELS } from "../labels.js";
import type { HostFacts } from "./facts.js";
import { type ListDevices, listDevDirectory, probeAscend } from "./probe-ascend.js";
import { probeEngine } from "./probe-engine.js";
import type { PublishedPort } from "./firewall/parse-firewall.js";
import { probeFirewall } from "./firewall/probe-firewall.js";
import { probeNvidia } from "./probe-nvidia.js";
import { type PortListenCheck, listenCheck, probePorts } from "./probe-ports.js";
import { type CommandRunner, systemRunner } from "./runner.js";

export interface ProbeHostOptions {
  /** Host ports the plan may want (defaults, their successors, explicit ones). */
  ports: number[];
  /** Mappings to check against the firewall (default: the seed's three). */
  published?: PublishedPort[];
  run?: CommandRunner;
  listDevices?: ListDevices;
  canListen?: PortListenCheck;
}

/** All host facts, probed in parallel; nothing downstream probes again. */
export async function probeHost(
  engine: ContainerEngine,
  options: ProbeHostOptions,
): Promise<HostFacts> {
  const run = options.run ?? systemRunner();
  const [engineFacts, nvidia, ascend, containers, firewall] = await Promise.all([
    probeEngine(engine),
    probeNvidia(run),
    probeAscend(run, options.listDevices ?? listDevDirectory),
    listWithPorts(engine),
    probeFirewall(run, options.published),
  ]);
  const portsInUse = await probePorts(options.ports, containers, options.canListen ?? listenCheck);
  return { engine: engineFacts, nvidia, ascend, portsInUse, firewall };
}

/**
 * Every container, with the host ports it publishes. The list shows ports only for running
 * containers; our stopped environments are inspected for the ports they bind when started.
 */
export async function listWithPorts(engine: ContainerEngine): Promise<ContainerSummary[]> {
  const list = await engine.listContainers({ all: true });
  return Promise.all(
    list.map(async (c) => {
      if (c.status === "running" || c.labels[LABELS.managed] !== "true") return c;
      const details = await engine.inspectContainer(c.id).catch(() => undefined);
      return details ? { ...c, ports: details.ports } : c;
    }),
  );
}

/** The ports worth probing: each default and a few after it (where a taken default moves). */
export function candidatePorts(wanted: Array<number | undefined>, spread = 16): number[] {
  const out = new Set<number>();
  for (const port of wanted) {
    if (port === undefined || !Number.isInteger(port) || port < 1 || port > 65535) continue;
    for (let p = port; p < Math.min(port + spread, 65536); p++) out.add(p);
  }
  return [...out];
}
