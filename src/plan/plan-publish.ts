import { isIP } from "node:net";
import { ModelboxDevError } from "../errors.js";
import type { PortUse } from "../host/facts.js";
import { describeHolder } from "./plan-ports.js";
import type { PlannedPublish } from "./types.js";

/**
 * `--publish [IP:]HOST:CONTAINER[/udp]`: more ports besides ssh, the editor and HTTP (gdbserver,
 * a second HTTP flowunit, TensorBoard), written as `docker run -p` writes them.
 */

const HINT =
  "Write --publish [IP:]HOST:CONTAINER[/tcp|/udp], e.g. --publish 6006:6006 or --publish 127.0.0.1:2345:2345.";

function invalid(text: string, why: string): ModelboxDevError {
  return new ModelboxDevError("INVALID_PORT", `--publish ${JSON.stringify(text)}: ${why}.`, HINT);
}

function port(value: string, text: string, side: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (/^\d+-\d+$/.test(value)) {
    throw invalid(text, "port ranges are not supported; repeat --publish for each port");
  }
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw invalid(text, `${side} port ${JSON.stringify(value)} is not a number from 1 to 65535`);
  }
  return n;
}

/** `[IP:]HOST:CONTAINER[/proto]`; an IPv6 address is written in brackets: `[::1]:8080:80`. */
export function parsePublish(text: string): PlannedPublish {
  const slash = text.lastIndexOf("/");
  const protocol = slash < 0 ? "tcp" : text.slice(slash + 1).toLowerCase();
  if (protocol !== "tcp" && protocol !== "udp") {
    throw invalid(text, `protocol ${JSON.stringify(protocol)} is not tcp or udp`);
  }
  const mapping = slash < 0 ? text : text.slice(0, slash);
  const m = /^(?:(\[[^\]]*\]|[^:[\]]*):)?([^:]+):([^:]+)$/.exec(mapping);
  if (!m?.[2] || !m[3]) {
    throw invalid(text, "it needs both a host and a container port");
  }
  const address = (m[1] ?? "").replace(/^\[(.*)\]$/, "$1");
  if (address !== "" && isIP(address) === 0) {
    throw invalid(text, `${JSON.stringify(address)} is not an IP address`);
  }
  return {
    hostIp: address,
    hostPort: port(m[2], text, "host"),
    containerPort: port(m[3], text, "container"),
    protocol,
  };
}

/** `docker run -p` spelling of a published port (IPv6 addresses in brackets). */
export function formatPublish(p: PlannedPublish): string {
  const ip = p.hostIp === "" ? "" : `${p.hostIp.includes(":") ? `[${p.hostIp}]` : p.hostIp}:`;
  return `${ip}${p.hostPort}:${p.containerPort}${p.protocol === "udp" ? "/udp" : ""}`;
}

const ANY = new Set(["", "0.0.0.0", "::"]);

/** Two host addresses that can both receive on one port: the same, or one of them is "any". */
export function addressesOverlap(a: string, b: string): boolean {
  return ANY.has(a) || ANY.has(b) || a === b;
}

/**
 * The published ports, checked against each other and the host: two on the same host port and
 * protocol (where their addresses overlap) are a conflict; a TCP port the host already uses is
 * taken. Ports held by the environment being planned are not counted (they become its own).
 */
export function planPublish(texts: readonly string[], inUse: readonly PortUse[]): PlannedPublish[] {
  const held = new Map(inUse.map((u) => [u.port, u]));
  const planned: PlannedPublish[] = [];
  for (const text of texts) {
    const p = parsePublish(text);
    const twin = planned.find(
      (q) =>
        q.hostPort === p.hostPort &&
        q.protocol === p.protocol &&
        addressesOverlap(q.hostIp, p.hostIp),
    );
    if (twin) {
      throw new ModelboxDevError(
        "PORT_CONFLICT",
        `Host port ${p.hostPort}/${p.protocol} is published twice (--publish ${formatPublish(twin)} and --publish ${formatPublish(p)}).`,
        "Give each --publish its own host port.",
      );
    }
    const holder = p.protocol === "tcp" ? held.get(p.hostPort) : undefined;
    if (holder) {
      throw new ModelboxDevError(
        "PORT_IN_USE",
        `Host port ${p.hostPort} (--publish ${formatPublish(p)}) is already in use by ${describeHolder(holder)}.`,
        `Choose another host port, e.g. --publish ${formatPublish({ ...p, hostPort: p.hostPort + 1 })}, or stop what holds it.`,
      );
    }
    planned.push(p);
  }
  return planned;
}

/**
 * The TCP host ports the published ports take from the plan's own (ssh, editor, HTTP), where
 * their addresses overlap with the address those are published on.
 */
export function reservedByPublish(
  publish: readonly PlannedPublish[],
  bind: string,
): Map<number, string> {
  const reserved = new Map<number, string>();
  for (const p of publish) {
    if (p.protocol === "tcp" && addressesOverlap(p.hostIp, bind)) {
      reserved.set(p.hostPort, `--publish ${formatPublish(p)}`);
    }
  }
  return reserved;
}
