/**
 * What the dashboard's server and its web page say to each other. Types only: the page is
 * bundled separately and imports nothing else from the server. Results are the library's own
 * (what `--json` prints); the page reads the fields listed here.
 */

/** An error as the CLI prints it with --json. */
export interface ApiError {
  code: string;
  message: string;
  hint?: string;
  details?: string[];
}

/** A GPU an environment holds: the engine's id, and the host's index and UUID where known. */
export interface HeldGpu {
  id: string;
  index?: number;
  uuid?: string;
}

/** The GPUs and Ascend chips an environment holds (`ls`/`status`'s `accelerators`). */
export interface AcceleratorReport {
  gpus: HeldGpu[];
  /** It asked for every GPU (`--gpus all`). */
  allGpus?: true;
  /** /dev/davinci<N> indices. */
  npuChips: number[];
}

/** One environment of `ls --json`. */
export interface EnvironmentRow {
  name: string;
  id: string;
  state: string;
  image: string;
  /** Who made it (absent for environments made before owners were recorded). */
  owner?: string;
  accelerators: AcceleratorReport;
  ports: { ssh?: number; editor?: number; http?: number };
  created: string;
  cudaVersion?: string;
}

export interface EnvironmentStatus {
  name: string;
  id: string;
  state: string;
  created: string;
  owner?: string;
  accelerators: AcceleratorReport;
  image: {
    reference: string;
    id?: string;
    digest?: string;
    cudaVersion?: string;
    version?: string;
  };
  ports: { ssh?: number; editor?: number; http?: number };
  ssh?: { command: string; host?: string; port?: number; ready?: boolean; configHost?: string };
  editor?: { url: string; ready?: boolean; developerMode?: string };
  http?: { port: number; containerPort?: number; ready?: boolean };
}

/** One image of the catalogue, judged for this host. */
export interface CatalogImage {
  reference: string;
  kind: string;
  engine: string;
  engineVersion: string;
  accel: string;
  accelVersion: string;
  os: string;
  arch: string;
  present: boolean | null;
  usable: boolean;
  why: string;
}

export interface DoctorCheck {
  id: string;
  status: "pass" | "warn" | "fail";
  title: string;
  found: string;
  fix?: string;
}

/** What the Create form sends: `up`'s options, as the CLI's flags in camelCase. */
export interface CreateOptions {
  name?: string;
  image?: string;
  gpus?: string;
  npu?: string;
  debug?: "none" | "ptrace" | "privileged";
  mount?: string[];
  defaultMounts?: boolean;
  sshPort?: string;
  editorPort?: string;
  httpPort?: string;
  bind?: string;
  /** More published ports, `[IP:]HOST:CONTAINER[/udp]`. */
  publish?: string[];
  /**
   * Variables, `NAME=value` (`NAME` alone: the dashboard's own value): their values reach the
   * container only, never the plan, the script, labels or logs.
   */
  env?: string[];
  /** Files of `NAME=value` lines on the dashboard's host (`--env-file`). */
  envFile?: string[];
  /** Size of /dev/shm, e.g. 8g (`--shm-size`). */
  shmSize?: string;
  /** Most memory, e.g. 16g (`--memory`). */
  memory?: string;
  /** Most CPU time in CPUs, e.g. 4 or 1.5 (`--cpus`). */
  cpus?: string;
  /** Process limits, `NAME=SOFT[:HARD]` (`--ulimit`). */
  ulimit?: string[];
  /** no, always, unless-stopped, on-failure[:N] (`--restart`). */
  restart?: string;
  /** false: /root stays in the container (`--no-home-volume`). */
  homeVolume?: boolean;
}

export interface PlanPreview {
  plan: {
    name: string;
    image: string;
    ports: Array<{ purpose: string; hostIp: string; hostPort: number; containerPort: number }>;
    mounts: Array<{ source: string; target: string; readOnly: boolean }>;
    warnings: Array<{ message: string }>;
    notes: string[];
    steps: Array<{ id: string; title: string; phase: string; when?: string }>;
    /** The variables' names only: their values never enter the plan. */
    userEnv?: { files: string[]; names: string[] };
    publish: Array<{ hostIp: string; hostPort: number; containerPort: number; protocol: string }>;
    resources?: { cpus?: number; memoryBytes?: number };
    restartPolicy: { name: string; maximumRetryCount?: number };
    shm: { sizeBytes: number; source: string };
    ulimits: Array<{ name: string; soft: number; hard: number }>;
  };
  imageReason?: string;
  script: string;
}

/** A layer's progress as the engine reports it during a pull. */
export interface PullProgress {
  id?: string;
  status: string;
  current?: number;
  total?: number;
}

/**
 * Progress of a long operation, exactly as the library reports it (operations.ts checks at
 * compile time that the library's events fit this).
 */
export type ProgressEvent =
  | {
      type: "step";
      id: string;
      title: string;
      status: "started" | "done" | "skipped" | "failed";
      detail?: string;
    }
  | { type: "pull"; image: string; phase: "trying"; registry: string; reference: string }
  | {
      type: "pull";
      image: string;
      phase: "failed";
      registry: string;
      reference: string;
      error: { code: string; message: string };
      next?: string;
    }
  | { type: "pull"; image: string; phase: "progress"; progress: PullProgress }
  | {
      type: "pull";
      image: string;
      phase: "done";
      source?: { registry: string; reference: string; repoDigest?: string };
    }
  | { type: "log"; message: string }
  | { type: "warning"; message: string }
  | { type: "output"; text: string }
  /** Events of operations the page does not run (cp, forward, image save/load): not shown. */
  | { type: "transfer" | "forward" | "image-archive"; phase: string };

export interface StatsSample {
  time: string;
  cpuPercent: number;
  memoryBytes: number;
  memoryLimitBytes: number;
}

/** Messages the server sends on a WebSocket. */
export type ServerMessage =
  | { type: "environments"; environments: EnvironmentRow[] }
  | { type: "progress"; event: ProgressEvent }
  | { type: "result"; result: object }
  | { type: "error"; error: ApiError }
  | { type: "output"; data: string }
  | { type: "exit"; code: number }
  | { type: "stats"; sample: StatsSample };

/** What the Upgrade dialog sends: `upgrade`'s options, as the CLI's flags in camelCase. */
export interface UpgradeRequest {
  name: string;
  /** The new image; absent: the one it was made from, pulled again. */
  image?: string;
  /** Release tag of the new image (replaces the tag of the environment's image). */
  version?: string;
  pull?: "always" | "missing" | "never";
  /** Registries or mirrors, tried in order (`--registry`, repeatable). */
  registry?: string[];
  /** Upgrade even when /root is not in a volume (it is then lost). */
  force?: boolean;
}

/** What `upgrade` reports; the page reads these fields. */
export interface UpgradeOutcome {
  name: string;
  /** false: it already ran exactly this image; nothing changed. */
  upgraded: boolean;
  from: { reference: string; id: string };
  to: { reference: string; id: string };
  /** The volume that kept /root. */
  homeVolume?: string;
  warnings: string[];
}

/** Messages the page sends on a WebSocket. */
export type ClientMessage =
  | { type: "up"; options: CreateOptions }
  | { type: "upgrade"; options: UpgradeRequest }
  | { type: "pull"; reference: string }
  | { type: "input"; data: string }
  | { type: "resize"; columns: number; rows: number };

export interface DashboardInfo {
  version: string;
}
