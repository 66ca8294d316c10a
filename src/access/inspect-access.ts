import type { ContainerEngine } from "../engine/types.js";
import type { AccessOutcome } from "./access-report.js";
import { knownHostsFileOf, readAccessRecord } from "./access-record.js";
import { developerModeState, editorUrl } from "./developer-mode.js";
import { httpGet } from "./http-probe.js";
import { sshConfigPath } from "./paths.js";
import { hasEntry, hostAlias, readSshConfig } from "./ssh-config-block.js";
import { renderSshCommand } from "./ssh-command.js";

export interface AccessInspection {
  name: string;
  containerId: string;
  running: boolean;
  kind: string | undefined;
  ports: { ssh?: number; editor?: number; http?: number };
  hostAddress: string;
  connectAddress: string;
  /** The ports are on a remote host's loopback: ssh hops through this login (`-J`). */
  proxyJump?: string;
  /** Reads the SSH banner ("" when none came). */
  readBanner: (host: string, port: number, timeoutMs: number) => Promise<string>;
  /** Where this machine reaches a published port (a tunnel for a remote loopback); default direct. */
  openPort?: (port: number) => Promise<{ host: string; port: number; close(): Promise<void> }>;
}

/** Runs a probe against a published port as this machine reaches it (`none`: unreachable). */
async function probePort<T>(
  request: AccessInspection,
  port: number,
  probe: (host: string, port: number) => Promise<T>,
  none: T,
): Promise<T> {
  if (!request.openPort) return probe(request.connectAddress, port);
  const at = await request.openPort(port).catch(() => undefined);
  if (!at) return none;
  try {
    return await probe(at.host, at.port);
  } finally {
    await at.close();
  }
}

/**
 * How to reach an environment now, and whether each service answers (`status`): quick probes
 * in parallel, no changes.
 */
export async function inspectAccess(
  engine: ContainerEngine,
  request: AccessInspection,
): Promise<AccessOutcome> {
  const { name, ports, running } = request;
  const outcome: AccessOutcome = { notes: [], warnings: [] };
  const runtime = request.kind === "runtime";
  const [record, config, banner, editorAnswer, state, httpAnswer] = await Promise.all([
    readAccessRecord(name),
    readSshConfig(sshConfigPath()),
    running && ports.ssh !== undefined
      ? probePort(request, ports.ssh, (h, p) => request.readBanner(h, p, 1_000), "")
      : Promise.resolve(""),
    running && ports.editor !== undefined && !runtime
      ? probePort(request, ports.editor, (h, p) => httpGet(h, p, "/editor/", 1_000), undefined)
      : Promise.resolve(undefined),
    running && ports.editor !== undefined && !runtime
      ? developerModeState(engine, request.containerId).catch(() => undefined)
      : Promise.resolve(undefined),
    running && ports.http !== undefined
      ? probePort(request, ports.http, (h, p) => httpGet(h, p, "/health", 1_000), undefined)
      : Promise.resolve(undefined),
  ]);
  if (ports.ssh !== undefined) {
    const knownHostsFile = knownHostsFileOf(name);
    outcome.ssh = {
      host: request.hostAddress,
      port: ports.ssh,
      user: "root",
      ...(record ? { keyPath: record.identityFile } : {}),
      command: renderSshCommand({
        host: request.hostAddress,
        port: ports.ssh,
        user: "root",
        ...(record ? { identityFile: record.identityFile } : {}),
        ...(knownHostsFile ? { knownHostsFile } : {}),
        ...(request.proxyJump ? { proxyJump: request.proxyJump } : {}),
      }),
      ...(hasEntry(config, name) ? { configHost: hostAlias(name) } : {}),
      ready: banner.startsWith("SSH-"),
      check: "banner",
    };
  }
  if (ports.editor !== undefined && !runtime) {
    outcome.editor = {
      url: editorUrl(request.hostAddress, ports.editor),
      ready: editorAnswer?.status === 200,
      ...(state ? { developerMode: state } : {}),
    };
  }
  if (ports.http !== undefined) {
    outcome.http = { port: ports.http, ready: httpAnswer !== undefined };
  }
  return outcome;
}
