import type { ContainerEngine } from "../../engine/types.js";
import { EngineCallError } from "../../engine/types.js";
import { ModelboxDevError } from "../../errors.js";
import { listWithKnownPorts } from "../known-facts.js";
import { type PortListenCheck, listenCheck, probePorts } from "../../host/probe-ports.js";
import type { PortUse } from "../../host/facts.js";
import { describeHolder } from "../../plan/plan-ports.js";
import type { Plan, PlannedPort } from "../../plan/types.js";

const FLAGS = { ssh: "--ssh-port", editor: "--editor-port", http: "--http-port" } as const;

/**
 * A host port of the plan that was taken between the check and the start (another `up`, or any
 * other program, got there first). One the user gave is an error; one `up` chose (the default,
 * or the environment's earlier port) makes `up` plan again with the next free port.
 */
export class PortTakenError extends ModelboxDevError {
  constructor(
    readonly port: PlannedPort,
    readonly holder: PortUse | undefined,
    cause?: unknown,
  ) {
    const who = holder ? ` by ${describeHolder(holder)}` : "";
    super(
      "PORT_IN_USE",
      `Host port ${port.hostPort} (${FLAGS[port.purpose]}) is already in use${who}.`,
      port.source === "option"
        ? `Choose another port, e.g. ${FLAGS[port.purpose]} ${port.hostPort + 1}, or stop what holds it ('ss -ltnp | grep :${port.hostPort}' shows a host process, 'docker ps --filter publish=${port.hostPort}' a container).`
        : `Another start took it at the same moment; run 'modelbox-dev up' again, or give a port with ${FLAGS[port.purpose]}.`,
      cause === undefined ? undefined : { cause },
    );
  }

  /** `up` chose this port, so it may choose another. */
  get movable(): boolean {
    return this.port.source !== "option";
  }
}

/** The host port an engine refusal names as taken ("port is already allocated", EADDRINUSE). */
export function takenPortIn(err: unknown): number | undefined {
  if (!(err instanceof EngineCallError)) return undefined;
  const m =
    /Bind for \S*?:(\d+) failed: port is already allocated/.exec(err.message) ??
    /listen (?:tcp|udp)[46]? \S*?:(\d+): bind: address already in use/.exec(err.message) ??
    /(?:address|port) (?:already )?in use[^\d]*(\d+)/i.exec(err.message);
  const port = Number(m?.[1]);
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

/** Who holds the port now, when that can be told (a container, one of ours, a host process). */
async function holderOf(
  engine: ContainerEngine,
  plan: Plan,
  port: number,
  canListen: PortListenCheck,
): Promise<PortUse | undefined> {
  // This `up`'s own container (created, refused at start) holds nothing.
  const containers = (await listWithKnownPorts(engine).catch(() => [])).filter(
    (c) => c.name !== plan.name,
  );
  return (await probePorts([port], containers, canListen)).find((u) => u.port === port);
}

/** The error for a plan port that turned out taken, naming who holds it. */
export async function portTaken(
  engine: ContainerEngine,
  plan: Plan,
  hostPort: number,
  cause?: unknown,
  canListen: PortListenCheck = listenCheck,
): Promise<PortTakenError | undefined> {
  const port = plan.ports.find((p) => p.hostPort === hostPort);
  if (!port) return undefined;
  return new PortTakenError(port, await holderOf(engine, plan, hostPort, canListen), cause);
}

/**
 * The last check before create: every host port of the plan can be bound right now. Facts may
 * be older than this moment, or may not have covered a port.
 */
export async function assertPortsFree(
  engine: ContainerEngine,
  plan: Plan,
  canListen: PortListenCheck,
): Promise<void> {
  for (const p of plan.ports) {
    if (await canListen(p.hostPort, p.hostIp || "0.0.0.0")) continue;
    throw (
      (await portTaken(engine, plan, p.hostPort, undefined, canListen)) ?? new Error("unreachable")
    );
  }
  for (const p of plan.publish.filter((x) => x.protocol === "tcp")) {
    if (await canListen(p.hostPort, p.hostIp || "0.0.0.0")) continue;
    throw new ModelboxDevError(
      "PORT_IN_USE",
      `Host port ${p.hostPort} (--publish) is already in use.`,
      `Choose another host port for --publish, or stop what holds it ('ss -ltnp | grep :${p.hostPort}' shows a host process, 'docker ps --filter publish=${p.hostPort}' a container).`,
    );
  }
}
