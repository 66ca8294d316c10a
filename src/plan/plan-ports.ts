import { ModelboxDevError } from "../errors.js";
import type { PortUse } from "../host/facts.js";
import { CONTAINER_PORTS, DEFAULT_PORTS } from "./options.js";
import type { PlannedPort, PlanWarning, PortPurpose } from "./types.js";
import { parsePort } from "./validate.js";

export type PreviousPorts = Partial<
  Record<PortPurpose, { hostPort: number; containerPort: number }>
>;

export interface PortRequest {
  purposes: PortPurpose[];
  explicit: Partial<Record<PortPurpose, string | number>>;
  /** Mappings the same environment used before: reused for defaults so `up` stays repeatable. */
  preferred: PreviousPorts;
  hostIp: string;
  /** Ports held on the host, except by the environment being planned. */
  inUse: PortUse[];
  /** Host ports `--publish` takes, with the flag that takes each (never given to a purpose). */
  reserved?: ReadonlyMap<number, string>;
  /** The engine runs rootless: it cannot publish host ports below 1024 (privileged ports). */
  rootless?: boolean;
}

/** The first port an unprivileged process may bind (Linux's default ip_unprivileged_port_start). */
export const FIRST_UNPRIVILEGED_PORT = 1024;

function assertPublishable(port: number, purpose: PortPurpose, rootless: boolean | undefined) {
  if (!rootless || port >= FIRST_UNPRIVILEGED_PORT) return;
  throw new ModelboxDevError(
    "INVALID_PORT",
    `${FLAGS[purpose]} ${port}: a rootless engine cannot publish host ports below ${FIRST_UNPRIVILEGED_PORT}.`,
    `Use a port from ${FIRST_UNPRIVILEGED_PORT} up (e.g. ${FLAGS[purpose]} ${DEFAULT_PORTS[purpose]}), or a rootful engine.`,
  );
}

/** `--publish` host ports below 1024 on a rootless engine: refused as the purposes' ports are. */
export function assertPublishPublishable(
  publish: ReadonlyArray<{ hostPort: number }>,
  rootless: boolean | undefined,
): void {
  const low = publish.find((p) => p.hostPort < FIRST_UNPRIVILEGED_PORT);
  if (!rootless || !low) return;
  throw new ModelboxDevError(
    "INVALID_PORT",
    `--publish ${low.hostPort}: a rootless engine cannot publish host ports below ${FIRST_UNPRIVILEGED_PORT}.`,
    `Publish on a host port from ${FIRST_UNPRIVILEGED_PORT} up (e.g. --publish ${low.hostPort + 8000}:…), or use a rootful engine.`,
  );
}

const FLAGS: Record<PortPurpose, string> = {
  ssh: "--ssh-port",
  editor: "--editor-port",
  http: "--http-port",
};

/** Who holds a port, in words: "container web-1", "host process". */
export function describeHolder(use: PortUse): string {
  const who =
    use.by === "modelbox-dev"
      ? "modelbox-dev environment"
      : use.by === "container"
        ? "container"
        : use.by === "host"
          ? "host process"
          : "something";
  return use.detail ? `${who} ${use.detail}` : who;
}

/**
 * Host ports for each purpose. An explicit port that is taken is an error naming its holder; a
 * default that is taken moves to the next free port, with a warning saying so.
 */
export function planPorts(request: PortRequest): { ports: PlannedPort[]; warnings: PlanWarning[] } {
  const warnings: PlanWarning[] = [];
  const held = new Map(request.inUse.map((u) => [u.port, u]));
  const chosen = new Map<number, PortPurpose>();
  const ports: PlannedPort[] = [];

  const explicit = new Map<PortPurpose, number>();
  for (const purpose of request.purposes) {
    const value = request.explicit[purpose];
    if (value === undefined) continue;
    const port = parsePort(value, FLAGS[purpose]);
    assertPublishable(port, purpose, request.rootless);
    const other = [...explicit].find(([, p]) => p === port);
    if (other) {
      throw new ModelboxDevError(
        "PORT_CONFLICT",
        `Host port ${port} is given for both ${other[0]} and ${purpose}.`,
        `Give each a different port, e.g. ${FLAGS[purpose]} ${port + 1}.`,
      );
    }
    const publish = request.reserved?.get(port);
    if (publish) {
      throw new ModelboxDevError(
        "PORT_CONFLICT",
        `Host port ${port} is given for both ${purpose} (${FLAGS[purpose]}) and ${publish}.`,
        `Give each a different port, e.g. ${FLAGS[purpose]} ${port + 1}.`,
      );
    }
    const holder = held.get(port);
    if (holder) {
      throw new ModelboxDevError(
        "PORT_IN_USE",
        `Host port ${port} (${FLAGS[purpose]}) is already in use by ${describeHolder(holder)}.`,
        `Choose another port, e.g. ${FLAGS[purpose]} ${port + 1}, or stop what holds it.`,
      );
    }
    explicit.set(purpose, port);
    chosen.set(port, purpose);
  }

  for (const purpose of request.purposes) {
    let hostPort = explicit.get(purpose);
    let note: string | undefined;
    let source: PlannedPort["source"] = hostPort === undefined ? "default" : "option";
    let containerPort: number =
      purpose === "http" ? (hostPort ?? DEFAULT_PORTS.http) : CONTAINER_PORTS[purpose];
    const previous = request.preferred[purpose];
    const isFree = (port: number) =>
      !held.has(port) && !chosen.has(port) && !request.reserved?.has(port);
    if (hostPort === undefined && previous && isFree(previous.hostPort)) {
      // The environment's own earlier mapping, exactly as it was.
      hostPort = previous.hostPort;
      containerPort = previous.containerPort;
      source = "previous";
      chosen.set(hostPort, purpose);
    } else if (hostPort === undefined) {
      const start = DEFAULT_PORTS[purpose];
      let candidate = start;
      while (!isFree(candidate) && candidate < 65535) candidate++;
      if (!isFree(candidate)) {
        throw new ModelboxDevError(
          "PORT_IN_USE",
          `No free host port found for ${purpose} from ${start} up.`,
          `Give one explicitly with ${FLAGS[purpose]}.`,
        );
      }
      if (previous) {
        const holder = held.get(previous.hostPort);
        note = `port ${previous.hostPort} used before is now in use${holder ? ` by ${describeHolder(holder)}` : ""}; using ${candidate}`;
      } else if (candidate !== start) {
        const holder = held.get(start);
        const by = holder
          ? ` by ${describeHolder(holder)}`
          : request.reserved?.has(start)
            ? ` by ${request.reserved.get(start)}`
            : "";
        note = `default ${start} is in use${by}; using ${candidate}`;
      }
      if (note) {
        warnings.push({
          code: "PORT_MOVED",
          message: `${purpose} port: ${note} (set ${FLAGS[purpose]} to choose).`,
        });
      }
      hostPort = candidate;
      chosen.set(hostPort, purpose);
      // The HTTP flowunit listens on the port the user names, so a chosen port maps to itself;
      // a default that had to move keeps the flowunit's own 8080 inside.
      if (purpose === "http") containerPort = DEFAULT_PORTS.http;
    }
    ports.push({
      purpose,
      hostIp: request.hostIp,
      hostPort,
      containerPort,
      source,
      ...(note ? { note } : {}),
    });
  }
  return { ports, warnings };
}
