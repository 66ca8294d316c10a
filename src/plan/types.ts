/**
 * The Plan: everything that will be done to create an environment, as plain serialisable data.
 * The applier and every renderer read only this, so the shell script and the real container
 * cannot disagree.
 */

export type PortPurpose = "ssh" | "editor" | "http";

export interface PlannedPort {
  purpose: PortPurpose;
  /** Host address to publish on; "" means all interfaces (the seed's behaviour). */
  hostIp: string;
  hostPort: number;
  containerPort: number;
  /** Why this host port (e.g. "default 50022 was taken by X, moved to 50023"). */
  note?: string;
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
  | { mode: "nvidia-runtime"; devices: "all" | string[] };

export type NpuPlan =
  | { mode: "none" }
  | { mode: "devices"; chips: number[] }
  | { mode: "ascend-runtime"; chips: number[] };

export type DebugMode = "none" | "ptrace" | "privileged";

/** The image kind as the plan knows it: unknown for names outside the ModelBox grammar. */
export type PlanImageKind = "develop" | "runtime" | "unknown";

export interface PlanWarning {
  code: string;
  message: string;
}

export interface Plan {
  /** Format version of this document. */
  planVersion: 1;
  name: string;
  image: string;
  imageKind: PlanImageKind;
  /** "cuda", "cann" or undefined when the image name does not say. */
  imageAccel?: "cuda" | "cann";
  labels: Record<string, string>;
  env: Record<string, string>;
  tty: boolean;
  openStdin: boolean;
  ports: PlannedPort[];
  mounts: PlannedMount[];
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
  /** What `up` waits for before it reports success. */
  readiness: Array<{ kind: "running" } | { kind: "ssh-banner"; port: number }>;
  warnings: PlanWarning[];
  /** Plain facts about choices made, shown to the user (not problems). */
  notes: string[];
  /** Hash of everything that shapes the container; labels carry it to detect changed specs. */
  specHash: string;
}
