import type { HostFactsInput } from "../host/facts.js";
import type { DebugMode, PlanAccess, PlanExecution } from "./types.js";
import type { UserEnvValues } from "./user-env.js";

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
  /** `[IP:]HOST:CONTAINER[/udp]`, repeatable: more published ports. */
  publish?: string[];
  /**
   * The user's variables, read (`--env`, `--env-file`): the plan keeps their names and a hash,
   * never the values.
   */
  userEnv?: { values: UserEnvValues; files: string[] };
  /** `--cpus`, e.g. 4 or 1.5 (parsed by resources.ts). */
  cpus?: string | number;
  /** `--memory`, e.g. 16g (parsed by resources.ts). */
  memory?: string | number;
  /** `--restart`: no, always, unless-stopped (default), on-failure[:N]. */
  restart?: string;
  /** `--shm-size`, e.g. 8g; default: half the memory, at most 8g (shm-size.ts). */
  shmSize?: string | number;
  /** `--ulimit NAME=SOFT[:HARD]`, repeatable. */
  ulimits?: string[];
  /** false: /root stays in the container (`--no-home-volume`); default: in a named volume. */
  homeVolume?: boolean;
  /** The options label (recorded-options.ts): what `upgrade` makes the environment from. */
  recordedOptions?: string;
  /** Override the image's kind when its name does not say (custom images). */
  kind?: "develop" | "runtime";
  /** Unix seconds used for the default name (injected so plans are reproducible). */
  now?: number;
  /** Version of this tool, recorded in labels. */
  toolVersion?: string;
  /** Why this image, when it was chosen for the host. */
  imageReason?: string;
  /** What choosing the image found worth a warning. */
  imageWarnings?: string[];
  /** The access steps after start; default: all of them, with a generated key. */
  access?: PlanAccess;
  /** How `up` runs; default: pull when missing, 120 s waits. */
  execution?: PlanExecution;
}

export const DEFAULT_PORTS = { ssh: 50022, editor: 1104, http: 8080 } as const;
export const CONTAINER_PORTS = { ssh: 22, editor: 1104 } as const;
/** Environments come back after a daemon restart or a reboot, unless stopped on purpose. */
export const DEFAULT_RESTART_POLICY = "unless-stopped";
/** The images stop systemd with SIGRTMIN+3; give it time to shut services down cleanly. */
export const STOP_TIMEOUT_SECONDS = 30;

/**
 * What a user can ask of `up` (and of `plan` and `script`, which take the same): the command
 * line's flags in camelCase, the positional name as `name`, `--no-x` as `x: false`. Everything is
 * optional; the defaults are the CLI's.
 */
export interface UpOptions {
  /** The environment's (container's) name; default `modelbox_instance_<unix seconds>`. */
  name?: string;
  /** Image to start; default: the published image that fits this host. */
  image?: string;
  /** Release tag of the image, e.g. "1.5.3". */
  version?: string;
  /** Inference engine when choosing an image: tensorflow, libtorch, tensorrt, mindspore. */
  engine?: string;
  /** Accelerator when choosing an image: auto (default), cuda, ascend, cpu. */
  accel?: string;
  /** Image OS when choosing an image: ubuntu (default) or openeuler. */
  os?: string;
  /** Image kind: develop (sshd and the editor) or runtime. */
  kind?: string;
  /** NVIDIA GPUs: auto (default), all, none, or a list such as "0,1". */
  gpus?: string;
  /** Ascend chips (/dev/davinci<N> indices), e.g. "0-3,5". */
  npu?: string;
  /** Allow gdb: none (default), ptrace, privileged. */
  debug?: string;
  /** Host directories to bind-mount, "SRC:DST[:ro]". */
  mount?: string[];
  /** false: do not mount /opt/modelbox and /home from the host (`--no-default-mounts`). */
  defaultMounts?: boolean;
  sshPort?: string | number;
  editorPort?: string | number;
  httpPort?: string | number;
  /** Host address to publish ports on; default all interfaces. */
  bind?: string;
  /** More ports to publish, `[IP:]HOST:CONTAINER[/udp]` (gdbserver, TensorBoard, …). */
  publish?: string[];
  /**
   * Variables to set inside, `NAME=value`, or `NAME` to take the value from this process'
   * environment. Values may be secrets: they reach the container only, never the plan, labels,
   * logs or events.
   */
  env?: string[];
  /** Files of `NAME=value` lines, in docker's env-file format. */
  envFile?: string[];
  /** Size of /dev/shm, e.g. 8g; default: half the memory (the limit, else the host's), at most 8g. */
  shmSize?: string | number;
  /** Most memory the environment may use, e.g. 16g. */
  memory?: string | number;
  /**
   * What the engine does when the container stops or the engine restarts: no, always,
   * unless-stopped (default: a running environment comes back after a daemon restart or a
   * reboot), on-failure[:N].
   */
  restart?: string;
  /** Most CPU time the environment may use, in CPUs, e.g. 4 or 1.5. */
  cpus?: string | number;
  /** Process limits, `NAME=SOFT[:HARD]` as docker writes them, e.g. nofile=65536:65536. */
  ulimit?: string[];
  /** false: keep /root in the container, not in a named volume (`--no-home-volume`). */
  homeVolume?: boolean;
  /** Host facts: a JSON file (`--facts FILE`), or the facts themselves; default: probed. */
  facts?: string | HostFactsInput;
  /** When to pull: missing (default), always, never. */
  pull?: string;
  /** Seconds each wait may take (the container, then the access steps); default 120. */
  timeout?: string | number;
  /** Keep the container when a step after create fails (to inspect it). */
  keepOnFailure?: boolean;
  /** Replace an existing environment even when its options are the same. */
  recreate?: boolean;
  /** Registries or mirrors holding the ModelBox images, tried in order. */
  registry?: string[];
  /** Host address printed in the ssh command and editor URL. */
  hostAddress?: string;
  /** Public key file to install for root; default: a key generated for the environment. */
  sshKey?: string;
  /**
   * Root's password, set over the exec's stdin (the CLI's `--password-stdin` reads it from stdin
   * and passes it here). Never written to the plan, labels, logs or events.
   */
  password?: string;
  /**
   * A password will be set (`--password-stdin`): enough for `plan` and `script`; `up` needs the
   * value itself in `password`.
   */
  passwordStdin?: boolean;
  /** false: no `Host <name>.modelbox` entry in ~/.ssh/config (`--no-ssh-config`). */
  sshConfig?: boolean;
  /** false: leave ModelBox developer mode off (`--no-develop-mode`). */
  developMode?: boolean;
  /** Addresses/CIDRs the editor admits besides this host. */
  editorAllow?: string[];
}
