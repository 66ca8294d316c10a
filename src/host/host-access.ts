import { stat } from "node:fs/promises";
import { type ListDevices, listDevDirectory } from "./probe-ascend.js";
import { type FreeBytes, statfsFreeBytes } from "./probe-engine.js";
import { type PortListenCheck, listenCheck } from "./probe-ports.js";
import { type CommandRunner, systemRunner } from "./runner.js";

/**
 * The machine the engine runs on, as the probes read it: this machine directly, or another one
 * through the engine (a probe container). Probes and up's last checks take one of these, so
 * facts always describe the engine's host.
 */
export interface HostAccess {
  /** For messages: "this host", or "the engine's host gpu1". */
  where: string;
  /** The engine's machine as reached from here, when it is another one. */
  remoteHost?: string;
  run: CommandRunner;
  listDevices: ListDevices;
  canListen: PortListenCheck;
  freeBytes: FreeBytes;
  pathExists: (path: string) => Promise<boolean>;
  /** The firewall can be read only on this machine; elsewhere this says why not. */
  firewallUnknown?: string;
  /** The image a remote probe ran in; undefined locally or when no probe could run. */
  probeImage?: string;
  /** What could not be learned on the engine's host, in words. */
  unknown: string[];
  /** Removes what the access left on the engine's host (the probe container). */
  close(): Promise<void>;
}

export function localHostAccess(): HostAccess {
  return {
    where: "this host",
    run: systemRunner(),
    listDevices: listDevDirectory,
    canListen: listenCheck,
    freeBytes: statfsFreeBytes,
    pathExists: (path) =>
      stat(path).then(
        () => true,
        () => false,
      ),
    unknown: [],
    close: () => Promise.resolve(),
  };
}
