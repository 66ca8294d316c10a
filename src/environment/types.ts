/**
 * The operations' options and results. Options are the CLI's flags in camelCase; a result is
 * exactly the object the CLI prints with `--json`, so every client sees the same thing.
 */
import type { BootUnitState } from "../access/boot-unit.js";
import type { DeveloperModeState } from "../access/developer-mode.js";
import type { ContainerStatus } from "../engine/types.js";
import type { GpuInfo, HostFacts } from "../host/facts.js";
import type { HeldGpu } from "../host/held-accelerators.js";
import type { KubernetesFlags } from "../plan/kubernetes/options.js";
import type { UpOptions } from "../plan/options.js";
import type { Plan, StepId } from "../plan/types.js";
import type { LocalEnvironment } from "../access/local-environments.js";

export type { UpOptions } from "../plan/options.js";

/** Host ports by purpose, as the environment's labels record them. */
export interface PortsByPurpose {
  ssh?: number;
  editor?: number;
  http?: number;
}

export interface SshReport {
  host: string;
  port: number;
  user: string;
  /** The ssh command that logs in (with the key and known_hosts when `up` set them up). */
  command: string;
  /** The private key `-i` names, when known. */
  keyPath?: string;
  /** `ssh <configHost>` works through the managed ~/.ssh/config entry. */
  configHost?: string;
  /** sshd answered: a key login succeeded (`check: "key-login"`) or its banner arrived. */
  ready?: boolean;
  check?: "key-login" | "banner";
}

export interface EditorReport {
  url: string;
  /**
   * The command that makes `url` work from here, when the ports listen on a remote host's
   * loopback (`modelbox-dev forward NAME`: an SSH forward through that host).
   */
  forward?: string;
  /** `GET /editor/` answered 200 from this host. */
  ready?: boolean;
  /** The HTTP status it answered with (`develop --status`), when it answered. */
  status?: number;
  developerMode?: DeveloperModeState;
  /** The server's `[acl] allow` list, when it was just set up. */
  allow?: string[];
  /** A systemd unit in the container starts the server at boot (the editor survives restarts). */
  startsAtBoot?: boolean;
}

export interface HttpReport {
  port: number;
  containerPort?: number;
  /** Something answered HTTP on the port (the HTTP flowunit runs only once a graph uses it). */
  ready?: boolean;
}

/** A port published with `--publish`. */
export interface PublishedPortReport {
  hostIp: string;
  hostPort: number;
  containerPort: number;
  protocol: "tcp" | "udp";
}

/**
 * What the environment was given besides its image and own ports, as the engine reports it:
 * published ports, root's home volume, the user's variables (names only), the limits.
 */
export interface EnvironmentSettings {
  published: PublishedPortReport[];
  /** The named volume that keeps /root, when there is one. */
  homeVolume?: string;
  /** Variables set with `--env` / `--env-file`, by name (values are never reported). */
  env: string[];
  /** Size of /dev/shm in bytes. */
  shmSizeBytes: number;
  /** Memory limit in bytes; absent: none. */
  memoryBytes?: number;
  /** CPU limit in CPUs; absent: none. */
  cpus?: number;
  /** `--ulimit`s, as `NAME=SOFT:HARD`. */
  ulimits: string[];
}

export type UpAction = "created" | "recreated" | "started" | "already-running";

/** What one step of the plan did. */
export interface StepReport {
  id: StepId;
  title: string;
  status: "done" | "skipped";
  /** What it did, or why it was skipped. */
  detail?: string;
}

export interface UpResult {
  ok: true;
  action: UpAction;
  name: string;
  id: string;
  image: string;
  state: ContainerStatus;
  ports: PortsByPurpose;
  ssh?: SshReport;
  editor?: EditorReport;
  http?: HttpReport;
  /** Why this image, when it was chosen for the host. */
  imageReason?: string;
  warnings: string[];
  notes: string[];
  /** Root has a password (set now, or before); absent when unknown or without sshd. */
  passwordSet?: boolean;
  settings: EnvironmentSettings;
  /** Every step of the plan, in order, with what it did. */
  steps: StepReport[];
}

/** `plan`: the options `up` takes (`timeout`, `pull`, … included), nothing is changed. */
export type PlanOptions = UpOptions;

export interface PlanResult {
  ok: true;
  plan: Plan;
  imageReason?: string;
  facts: HostFacts;
}

export interface ScriptOptions extends UpOptions, KubernetesFlags {
  /** Comment every docker option (or manifest field), and the steps after start as commands. */
  explain?: boolean;
  /** shell (default): the docker run script; kubernetes: manifests for a cluster. */
  target?: "shell" | "kubernetes";
}

export interface LsOptions {
  /** Include stopped environments. */
  all?: boolean;
  /** Only the environments the invoking user made. */
  mine?: boolean;
  /** The host's GPUs, to name held ones by index and UUID (default: asked of nvidia-smi). */
  gpus?: GpuInfo[];
  /** Also list the volumes modelbox-dev made whose environment is gone. */
  volumes?: boolean;
}

/** A volume modelbox-dev made for an environment (root's home). */
export interface VolumeReport {
  name: string;
  /** The environment it belongs (or belonged) to. */
  environment: string;
  /** What it holds: "home" (root's home, /root). */
  holds: string;
  created?: string;
}

/** The GPUs (index and UUID when known) and Ascend chips an environment holds. */
export interface AcceleratorReport {
  gpus: HeldGpu[];
  /** It asked for every GPU (`--gpus all`). */
  allGpus?: true;
  /** /dev/davinci<N> indices. */
  npuChips: number[];
}

export interface EnvironmentSummary {
  name: string;
  id: string;
  state: ContainerStatus;
  image: string;
  /** Who made it (absent for environments made before owners were recorded). */
  owner?: string;
  accelerators: AcceleratorReport;
  ports: PortsByPurpose;
  /** The GPUs it was given: "all" or their indices; absent for none. */
  gpus?: string;
  /** The Ascend chips it was given (/dev/davinci<N> indices); absent for none. */
  npus?: string;
  created: string;
  imageId?: string;
  imageDigest?: string;
  cudaVersion?: string;
}

export interface LsResult {
  ok: true;
  environments: EnvironmentSummary[];
  /**
   * Key directories and ~/.ssh/config entries of names that have no environment on this engine
   * any more (its container was removed or renamed with docker): `rm NAME` cleans them.
   */
  stale: LocalEnvironment[];
  /** With `volumes`: volumes whose environment is gone (kept by `rm`). */
  orphanVolumes?: VolumeReport[];
}

/** One engine's part of `ls --all-contexts`. */
export interface HostListing {
  /** The Docker context the engine belongs to. */
  context: string;
  /** The engine's machine: its address, or "localhost" for a local engine ("?" when unknown). */
  host: string;
  url?: string;
  /** What each engine's list says (no devices held: that needs an inspection per environment). */
  environments: Omit<EnvironmentSummary, "accelerators">[];
  /** Set when this engine did not answer (within the time limit): why. */
  error?: string;
}

export interface LsHostsResult {
  ok: true;
  hosts: HostListing[];
}

export interface StatusOptions {
  name: string;
  /** The host's GPUs, to name held ones by index and UUID (default: asked of nvidia-smi). */
  gpus?: GpuInfo[];
  hostAddress?: string;
}

export interface StatusResult {
  ok: true;
  name: string;
  id: string;
  state: ContainerStatus;
  image: {
    reference: string;
    id: string;
    digest?: string;
    cudaVersion?: string;
    version?: string;
  };
  created: string;
  owner?: string;
  accelerators: AcceleratorReport;
  ports: PortsByPurpose;
  ssh?: SshReport;
  editor?: EditorReport;
  http?: HttpReport;
  settings: EnvironmentSettings;
}

export interface StartOptions {
  name: string;
  /** Seconds to wait for the editor once developer mode is back; default 120. */
  timeout?: string | number;
}

export interface StartResult {
  ok: true;
  name: string;
  id: string;
  state: ContainerStatus;
  /** Developer mode came back (or not) after the start. */
  editor?: EditorReport;
  warnings?: string[];
}

export interface StopOptions {
  name: string;
  /** Stop it even when it belongs to someone else. */
  force?: boolean;
}

export interface StopResult {
  ok: true;
  name: string;
  id: string;
  state: ContainerStatus;
}

export interface RmOptions {
  name: string;
  /** Remove even when running, or when it belongs to someone else. */
  force?: boolean;
  /**
   * Remove its volumes too (root's home); by default they are kept, as Docker Compose does.
   * For an environment removed before, removes the volumes it left.
   */
  volumes?: boolean;
}

export interface RmResult {
  ok: true;
  name: string;
  /** The container removed; absent when it was gone already (only what it left went). */
  id?: string;
  /** The environment's container was removed now. */
  removed: boolean;
  /** The local state that went (key directory, ~/.ssh/config entry; neither when it had none). */
  forgotten: LocalEnvironment;
  /** Its volumes that were kept (`up NAME` uses them again) and those removed (`volumes`). */
  volumes: { kept: string[]; removed: string[] };
  /** Why a container of that name was left alone (it is not modelbox-dev's). */
  note?: string;
}

export interface LogsOptions {
  name: string;
  /** Only the last n lines. */
  tail?: string | number;
  /** Keep sending new lines (as `output` events) until the signal aborts. */
  follow?: boolean;
}

export interface LogsResult {
  ok: true;
  name: string;
  id: string;
  /** The log text (without `follow`; with it, the text went out as `output` events). */
  text: string;
}

export interface ExecCommandOptions {
  name: string;
  /** The command and its arguments. */
  command: string[];
  /** Allocate a terminal. */
  tty?: boolean;
  /** Streams to attach; without them the output is collected into the result. */
  stdin?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

export interface ExecCommandResult {
  ok: true;
  name: string;
  exitCode: number;
  /** Collected output, when no stream was given for it. */
  stdout?: string;
  stderr?: string;
}

export interface DevelopOptions {
  name: string;
  /** Only report whether the server runs and the editor answers. */
  status?: boolean;
  /** Stop the ModelBox server. */
  stop?: boolean;
  editorAllow?: string[];
  timeout?: string | number;
  hostAddress?: string;
}

export interface DevelopResult {
  ok: true;
  name: string;
  developerMode: DeveloperModeState;
  editor?: EditorReport;
  /** `develop --status`: what the server's own status line says, and whether its port answers. */
  server?: ServerReport;
}

export interface ServerReport {
  /** The line of `HOME/modelbox status`, e.g. "modelbox service is running. pid 42". */
  status?: string;
  /** The port it listens on inside the container. */
  port?: number;
  /** An HTTP answer came from that port inside the container (asked when the line says running). */
  answers?: boolean;
  /** enabled: it starts at boot; disabled: stopped on purpose; absent: not installed; unavailable: no systemd. */
  bootUnit: BootUnitState;
}

export interface PasswdOptions {
  name: string;
  /**
   * The new password, or a function that asks for it: called only once the environment is known
   * to be running, so a prompt never comes before a refusal.
   */
  password: string | (() => Promise<string>);
  /** Set it even when the environment belongs to someone else. */
  force?: boolean;
}

export interface PasswdResult {
  ok: true;
  name: string;
  id: string;
  passwordSet: true;
  warnings: string[];
}

/** What an image really is: the reference it was asked by, its id, digest, CUDA and release. */
export interface ImageFacts {
  reference: string;
  id: string;
  digest?: string;
  cudaVersion?: string;
  version?: string;
}

export interface UpgradeOptions {
  name: string;
  /** The new image; default: the one the environment was made from, pulled again. */
  image?: string;
  /** Release tag of the new image (replaces the tag of the environment's image). */
  version?: string;
  /** When to pull: always (default: the tag may name a newer image), missing, never. */
  pull?: string;
  /** Registries or mirrors, tried in order. */
  registry?: string[];
  /** Seconds each wait of the re-created environment may take. */
  timeout?: string | number;
  /** Upgrade even when /root is not in a volume (it is then lost). */
  force?: boolean;
  /** Keep the new container when a step after create fails. */
  keepOnFailure?: boolean;
}

export interface UpgradeResult {
  ok: true;
  name: string;
  /** false: the environment already runs exactly this image; nothing was changed. */
  upgraded: boolean;
  from: ImageFacts;
  to: ImageFacts;
  /** The volume that kept /root across the upgrade. */
  homeVolume?: string;
  /** The re-created environment, as `up` reports it. */
  environment?: UpResult;
  warnings: string[];
}

export interface PullImageOptions {
  /** A reference, `modelbox/<name>[:tag]`, or a bare ModelBox name. */
  image: string;
  /** Release tag to pull. */
  version?: string;
  registry?: string[];
}

export interface PullImageResult {
  ok: true;
  image: string;
  id: string;
  digest?: string;
  registry?: string;
  pulledReference?: string;
}
