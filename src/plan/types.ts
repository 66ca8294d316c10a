/**
 * The Plan: everything that will be done to create an environment, as plain serialisable data.
 * The applier and every renderer read only this, so the shell script and the real container
 * cannot disagree. A plan is never changed once made (`up` returns it frozen).
 */
import type { PullPolicy } from "../engine/types.js";
import type { ResourceLimits } from "./resources.js";

export type PortPurpose = "ssh" | "editor" | "http";

export interface PlannedPort {
  purpose: PortPurpose;
  /** Host address to publish on; "" means all interfaces (the seed's behaviour). */
  hostIp: string;
  hostPort: number;
  containerPort: number;
  /**
   * Where the host port came from: the user's option (a taken one is an error), the default or
   * the environment's earlier mapping (a taken one moves on to the next free port).
   */
  source: "option" | "default" | "previous";
  /** Why this host port (e.g. "default 50022 was taken by X, moved to 50023"). */
  note?: string;
}

/** A port published with `--publish`, besides the ports of ssh, the editor and HTTP. */
export interface PlannedPublish {
  /** Host address; "" means all interfaces. */
  hostIp: string;
  hostPort: number;
  containerPort: number;
  protocol: "tcp" | "udp";
}

/** A named volume the environment keeps across re-creation (root's home). */
export interface PlannedVolume {
  name: string;
  target: string;
  purpose: "home";
  /** Labels the volume is created with (`io.modelbox-dev.*`): whose it is. */
  labels: Record<string, string>;
}

/** `--ulimit`: -1 means unlimited. */
export interface PlannedUlimit {
  name: string;
  soft: number;
  hard: number;
}

/** The size of /dev/shm: asked for (`--shm-size`), or modelbox-dev's default for this host. */
export interface PlannedShm {
  sizeBytes: number;
  source: "option" | "default";
}

/** Variables the user set (`--env`, `--env-file`): names only; values never enter the plan. */
export interface PlannedUserEnv {
  /** `--env-file` paths, absolute, in order (the script hands them to docker as they are). */
  files: string[];
  /** Names set with `--env`, in order (the script takes their values from the caller's shell). */
  flagNames: string[];
  /** Every name set, sorted. */
  names: string[];
  /** Hash of names and values: a changed value changes the spec without being written down. */
  hash: string;
}

export interface PlannedMount {
  source: string;
  target: string;
  readOnly: boolean;
  /**
   * Read-only at the mount point only, its submounts left writable. Engine API 1.44 (Docker 25)
   * made a plain `:ro` bind recursively read-only, which leaves systemd on a cgroup v1 host
   * unable to write its own hierarchy under /sys/fs/cgroup/systemd.
   */
  readOnlyNonRecursive?: boolean;
  purpose: "cgroup" | "modelbox" | "home" | "user";
}

export interface PlannedDevice {
  hostPath: string;
  containerPath: string;
  permissions: string;
}

/** How GPUs reach the container. */
export type GpuPlan =
  | { mode: "none" }
  /** Engine API >= 1.40 (Docker 19.03+): a device request, i.e. `--gpus`. */
  | { mode: "device-request"; devices: "all" | string[] }
  /** Older engines with nvidia-docker2: `--runtime=nvidia` and NVIDIA_VISIBLE_DEVICES. */
  | { mode: "nvidia-runtime"; devices: "all" | string[] }
  /** Podman: CDI devices (`nvidia.com/gpu=all`, or one per GPU index or UUID). */
  | { mode: "cdi"; devices: "all" | string[] };

export type NpuPlan =
  | { mode: "none" }
  | { mode: "devices"; chips: number[] }
  | { mode: "ascend-runtime"; chips: number[] };

export type DebugMode = "none" | "ptrace" | "privileged";

/**
 * What the engine does when the container stops or the engine itself restarts (`--restart`):
 * `unless-stopped` (default) brings a running environment back after a daemon restart or a
 * reboot, and leaves one stopped with `stop` stopped.
 */
export interface RestartPolicy {
  name: "no" | "always" | "unless-stopped" | "on-failure";
  /** on-failure only: how many restarts before giving up (0: no limit). */
  maximumRetryCount?: number;
}

/** The image kind as the plan knows it: unknown for names outside the ModelBox grammar. */
export type PlanImageKind = "develop" | "runtime" | "unknown";

export interface PlanWarning {
  code: string;
  message: string;
}

/**
 * The steps that give access once the container answers (keys, login, the editor): one list,
 * which `up` runs before their module has loaded (environment/apply/after-start.ts), and whose
 * handlers that module must all have (its table is typed by it).
 */
export const ACCESS_STEP_IDS = [
  "install-key",
  "verify-key-login",
  "ssh-config",
  "set-password",
  "developer-mode",
  "wait-editor",
] as const;

export type AccessStepId = (typeof ACCESS_STEP_IDS)[number];

/**
 * Every step `up` takes, in the order it takes them. Ids are stable (clients key on them); titles
 * are for people.
 */
export type StepId =
  | "pull"
  | "replace"
  | "volume"
  | "create"
  | "start"
  | "wait-running"
  | "wait-sshd"
  | AccessStepId
  | "remove-replaced";

export interface PlanStep {
  id: StepId;
  title: string;
  /** Before the container exists, making and starting it, or once it runs. */
  phase: "prepare" | "create" | "after-start";
  /** A step that runs only when something is found true at that moment (e.g. the image has sshd). */
  when?: string;
}

/** What `up` does for access once the container answers (the password itself is never here). */
export interface PlanAccess {
  /** `--ssh-key`: the public key installed for root; absent: a key generated for the environment. */
  sshKey?: string;
  /** A password for root is set (it travels over the exec's stdin, never in the plan). */
  setPassword: boolean;
  /** A `Host <name>.modelbox` entry in ~/.ssh/config. */
  sshConfig: boolean;
  /** ModelBox developer mode (the editor) is turned on. */
  developerMode: boolean;
  /** Addresses/CIDRs the editor admits besides this host. */
  editorAllow: string[];
  /** The address printed in the ssh command and editor URL (`--host-address`). */
  hostAddress?: string;
}

/** How `up` carries the plan out. */
export interface PlanExecution {
  pull: PullPolicy;
  /** Registries (or mirrors) tried in order for a ModelBox image, as the user writes them. */
  registries: string[];
  /** How long each wait may take (the container, then the access steps), in seconds. */
  timeoutSeconds: number;
  keepOnFailure: boolean;
  /** Replace an existing environment of this name even when its options are the same. */
  recreate: boolean;
}

export interface Plan {
  /** Format version of this document. */
  planVersion: 1;
  name: string;
  image: string;
  imageKind: PlanImageKind;
  /** Why this image, when it was chosen for the host (no `--image`). */
  imageReason?: string;
  /** "cuda", "cann" or undefined when the image name does not say. */
  imageAccel?: "cuda" | "cann";
  labels: Record<string, string>;
  /** Variables modelbox-dev sets (NVIDIA_*, ASCEND_*); the user's are in `userEnv`. */
  env: Record<string, string>;
  /** The user's variables (`--env`, `--env-file`), by name; absent when none. */
  userEnv?: PlannedUserEnv;
  tty: boolean;
  openStdin: boolean;
  ports: PlannedPort[];
  /** `--publish`: more ports, in the order given. */
  publish: PlannedPublish[];
  mounts: PlannedMount[];
  /** Named volumes: root's home, unless `--no-home-volume`. */
  volumes: PlannedVolume[];
  tmpfs: string[];
  cgroupnsMode?: "host";
  gpu: GpuPlan;
  npu: NpuPlan;
  devices: PlannedDevice[];
  runtime?: string;
  debug: DebugMode;
  privileged: boolean;
  capAdd: string[];
  securityOpt: string[];
  stopTimeoutSeconds: number;
  /** CPU and memory limits (`--cpus`, `--memory`); absent when none was asked for. */
  resources?: ResourceLimits;
  /**
   * Not part of the spec hash: the engine changes it on an existing container in place, so a
   * different policy is applied without recreating the environment.
   */
  restartPolicy: RestartPolicy;
  shm: PlannedShm;
  ulimits: PlannedUlimit[];
  /** What `up` waits for before it reports success. */
  readiness: Array<{ kind: "running" } | { kind: "ssh-banner"; port: number }>;
  access: PlanAccess;
  execution: PlanExecution;
  /** Every step of `up`, in order: before and after start. */
  steps: PlanStep[];
  warnings: PlanWarning[];
  /** Plain facts about choices made, shown to the user (not problems). */
  notes: string[];
  /** Hash of everything that shapes the container; labels carry it to detect changed specs. */
  specHash: string;
}
