import type { DebugMode } from "./types.js";

/** What a user can ask of `up`, `plan` and `script`, already parsed from the command line. */
export interface EnvironmentOptions {
  name?: string;
  image: string;
  /** auto (default), all, none, or a list of GPU indices/UUIDs. */
  gpus?: string;
  /** Ascend chip list, e.g. "0-3,5" (the /dev/davinci<N> indices). */
  npu?: string;
  debug?: DebugMode;
  /** SRC:DST[:ro|rw], repeatable. */
  mounts?: string[];
  defaultMounts?: boolean;
  sshPort?: string | number;
  editorPort?: string | number;
  httpPort?: string | number;
  /** Host address to publish ports on; default all interfaces. */
  bind?: string;
  /** Override the image's kind when its name does not say (custom images). */
  kind?: "develop" | "runtime";
  /** Unix seconds used for the default name (injected so plans are reproducible). */
  now?: number;
  /** Version of this tool, recorded in labels. */
  toolVersion?: string;
}

export const DEFAULT_PORTS = { ssh: 50022, editor: 1104, http: 8080 } as const;
export const CONTAINER_PORTS = { ssh: 22, editor: 1104 } as const;
/** The images stop systemd with SIGRTMIN+3; give it time to shut services down cleanly. */
export const STOP_TIMEOUT_SECONDS = 30;
