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
  /** Reads the SSH banner ("" when none came). */
  readBanner: (host: string, port: number, timeoutMs: number) => Promise<string>;
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
      ? request.readBanner(request.connectAddress, ports.ssh, 1_000)
      : Promise.resolve(""),
    running && ports.editor !== undefined && !runtime
      ? httpGet(request.connectAddress, ports.editor, "/editor/", 1_000)
      : Promise.resolve(undefined),
    running && ports.editor !== undefined && !runtime
      ? developerModeState(engine, request.containerId).catch(() => undefined)
      : Promise.resolve(undefined),
    running && ports.http !== undefined
      ? httpGet(request.connectAddress, ports.http, "/health", 1_000)
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
