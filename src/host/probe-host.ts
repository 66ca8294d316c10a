import { stat } from "node:fs/promises";
import type { ContainerEngine, ContainerSummary } from "../engine/types.js";
import { LABELS } from "../labels.js";
import type { AcceleratorsInUse, FirewallFacts, HostFacts, RemoteOrigin } from "./facts.js";
import { acceleratorsInUseBy } from "./held-accelerators.js";
import type { HostAccess } from "./host-access.js";
import { type ListDevices, listDevDirectory, probeAscend } from "./probe-ascend.js";
import { probeEngine } from "./probe-engine.js";
import type { PublishedPort } from "./firewall/parse-firewall.js";
import { probeNvidia } from "./probe-nvidia.js";
import { type PortListenCheck, listenCheck, probePorts } from "./probe-ports.js";
import { type CommandRunner, systemRunner } from "./runner.js";

export interface ProbeHostOptions {
  /**
   * Host ports the plan may want (defaults, their successors, explicit ones); a promise when
   * some are still being found out (the existing environment's): the other probes do not wait.
   */
  ports: number[] | Promise<number[]>;
  /** Mappings to check against the firewall (default: the seed's three). */
  published?: PublishedPort[];
  /**
   * Whether to read the firewall's rules (default true). `up` reads them only when a port does
   * not answer: before that they change nothing it does (about 30 ms of its start here).
   */
  firewall?: boolean;
  run?: CommandRunner;
  listDevices?: ListDevices;
  canListen?: PortListenCheck;
  /**
   * The engine's host (see openHostAccess): its runners replace the local ones, and a remote
   * host's facts say where they came from and what could not be known.
   */
  host?: HostAccess;
  /** Paths whose existence on the engine's host matters (mount sources). */
  paths?: string[];
  /** Every container with the ports it publishes (default: listWithPorts). */
  listContainers?: (engine: ContainerEngine) => Promise<ContainerSummary[]>;
  /** The accelerators our running environments hold (default: probeAcceleratorsInUse). */
  acceleratorsInUse?: (
    engine: ContainerEngine,
    containers: readonly ContainerSummary[],
  ) => Promise<AcceleratorsInUse[]>;
}

/** All host facts, probed in parallel; nothing downstream probes again. */
export async function probeHost(
  engine: ContainerEngine,
  options: ProbeHostOptions,
): Promise<HostFacts> {
  const host = options.host;
  const run = options.run ?? host?.run ?? systemRunner();
  // A remote host where no probe could run: its accelerators are unknown, not absent.
  const blind = host?.remoteHost !== undefined && host.probeImage === undefined;
  const canListen = options.canListen ?? host?.canListen ?? listenCheck;
  const containers = (options.listContainers ?? listWithPorts)(engine);
  // The ports and the accelerators held need only the list: they do not wait for /info.
  const [engineFacts, nvidia, ascend, firewall, paths, portsInUse, acceleratorsInUse] =
    await Promise.all([
      probeEngine(engine, host?.freeBytes),
      blind ? undefined : probeNvidia(run),
      blind
        ? undefined
        : probeAscend(run, options.listDevices ?? host?.listDevices ?? listDevDirectory),
      options.firewall === false
        ? undefined
        : host?.firewallUnknown
          ? Promise.resolve<FirewallFacts>({
              tool: "unknown",
              active: false,
              blockedPorts: [],
              detail: host.firewallUnknown,
            })
          : // Loaded when read: `up` does not read the firewall (a dozen modules of parsers).
            import("./firewall/probe-firewall.js").then((m) =>
              m.probeFirewall(run, options.published),
            ),
      probePaths(options.paths ?? [], blind ? undefined : host),
      Promise.all([options.ports, containers]).then(([ports, list]) =>
        probePorts(ports, list, canListen),
      ),
      containers.then((list) =>
        (options.acceleratorsInUse ?? probeAcceleratorsInUse)(engine, list),
      ),
    ]);
  return {
    engine: engineFacts,
    ...(nvidia ? { nvidia } : {}),
    ...(ascend ? { ascend } : {}),
    portsInUse,
    ...(firewall ? { firewall } : {}),
    acceleratorsInUse,
    ...(paths ? { paths } : {}),
    ...(host?.remoteHost ? { remote: remoteOrigin(host, host.remoteHost) } : {}),
  };
}

/** The GPUs and chips our running environments hold (the list does not tell: inspect says). */
export async function probeAcceleratorsInUse(
  engine: ContainerEngine,
  containers: readonly ContainerSummary[],
): Promise<AcceleratorsInUse[]> {
  const running = containers.filter(
    (c) => c.status === "running" && c.labels[LABELS.managed] === "true",
  );
  const found = await Promise.all(
    running.map(async (c) => {
      const details = await engine.inspectContainer(c.id).catch(() => undefined);
      return details ? acceleratorsInUseBy(details) : undefined;
    }),
  );
  return found.filter((a): a is AcceleratorsInUse => a !== undefined);
}

/** Whether each path exists on the engine's host; undefined when that cannot be known. */
async function probePaths(
  paths: string[],
  host: HostAccess | undefined,
): Promise<Record<string, boolean> | undefined> {
  if (paths.length === 0) return undefined;
  const exists = host?.pathExists ?? localPathExists;
  const found = await Promise.all(paths.map((p) => exists(p)));
  return Object.fromEntries(paths.map((p, i) => [p, found[i] ?? false]));
}

const localPathExists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

function remoteOrigin(host: HostAccess, name: string): RemoteOrigin {
  return {
    host: name,
    probe: host.probeImage ? "container" : "none",
    ...(host.probeImage ? { image: host.probeImage } : {}),
    unknown: host.unknown,
  };
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
