/**
 * The engine seen through our own types, so nothing above this layer knows about dockerode and
 * another engine (Podman's compatible API today, Kubernetes later) can stand behind it.
 */

export interface PortBinding {
  /** Host address; "" means all interfaces. */
  hostIp: string;
  hostPort: number;
  containerPort: number;
  /** Default tcp. */
  protocol?: "tcp" | "udp";
}

/** A named volume mounted into the container (created with its labels beforehand). */
export interface VolumeMount {
  name: string;
  target: string;
}

/** A process limit (`--ulimit`); -1 is unlimited. */
export interface Ulimit {
  name: string;
  soft: number;
  hard: number;
}

export interface VolumeDetails {
  name: string;
  labels: Record<string, string>;
  createdAt?: Date;
}

export interface BindMount {
  source: string;
  target: string;
  readOnly: boolean;
  /** Read-only at the mount point only (Engine API 1.44+ makes plain read-only recursive). */
  readOnlyNonRecursive?: boolean;
}

export interface DeviceMapping {
  hostPath: string;
  containerPath: string;
  permissions: string;
}

/** A GPU device request (Engine API >= 1.40): all GPUs (count -1) or the listed ids. */
export interface GpuRequest {
  /** "" (Docker's --gpus: the NVIDIA toolkit's driver) or "cdi" (device IDs are CDI names). */
  driver?: string;
  count?: number;
  deviceIds?: string[];
  capabilities: string[][];
}

/** `--restart`: no, always, unless-stopped, or on-failure with an optional retry limit. */
export interface RestartPolicySpec {
  name: "no" | "always" | "unless-stopped" | "on-failure";
  maximumRetryCount?: number;
}

export interface ContainerSpec {
  name: string;
  image: string;
  labels: Record<string, string>;
  env: Record<string, string>;
  tty: boolean;
  openStdin: boolean;
  ports: PortBinding[];
  binds: BindMount[];
  volumes: VolumeMount[];
  /** tmpfs mount point → mount options ("" for defaults). */
  tmpfs: Record<string, string>;
  cgroupnsMode?: "host" | "private";
  devices: DeviceMapping[];
  gpuRequests: GpuRequest[];
  runtime?: string;
  privileged: boolean;
  capAdd: string[];
  securityOpt: string[];
  stopTimeoutSeconds?: number;
  /** Replace the image's ENTRYPOINT and CMD (e.g. a short-lived probe's `sleep`). */
  entrypoint?: string[];
  cmd?: string[];
  /** "host": the host's network namespace (a probe reading the host's listening sockets). */
  networkMode?: "host";
  /** Device cgroup rules, e.g. "c *:* rmw" (a probe running the host's nvidia-smi). */
  deviceCgroupRules?: string[];
  /** The engine removes the container once it exits (a probe that outlives its client). */
  autoRemove?: boolean;
  /** Default: "no", as `docker run` without --restart. */
  restartPolicy?: RestartPolicySpec;
  /** Size of /dev/shm; the engine's default (64 MB) when absent. */
  shmSizeBytes?: number;
  memoryBytes?: number;
  /** CPU time in billionths of a CPU (`--cpus 1.5` is 1.5e9). */
  nanoCpus?: number;
  ulimits: Ulimit[];
}

/** An image the engine has, as listed (no inspect). */
export interface ImageSummary {
  id: string;
  repoTags: string[];
  sizeBytes?: number;
}

export type ContainerStatus =
  "created" | "running" | "paused" | "restarting" | "removing" | "exited" | "dead";

export interface PublishedPort {
  hostIp: string;
  hostPort: number;
  containerPort: number;
  /** Absent for tcp. */
  protocol?: "udp";
}

export interface ContainerSummary {
  id: string;
  /** Name without the leading slash. */
  name: string;
  status: ContainerStatus;
  image: string;
  labels: Record<string, string>;
  created: Date;
  ports: PublishedPort[];
}

export interface ContainerDetails extends ContainerSummary {
  imageId: string;
  exitCode: number;
  startedAt?: Date;
  finishedAt?: Date;
  /** The raw HostConfig as the engine reports it (for `inspect`-level comparisons). */
  hostConfig: Record<string, unknown>;
  /** The port bindings asked at create (what it publishes at its next start), when known. */
  bindings?: PublishedPort[];
  /** What the engine does when the container stops or the engine restarts (absent: "no"). */
  restartPolicy?: RestartPolicySpec;
  /** The container's variables (the image's and those it was created with). */
  env: Record<string, string>;
  /** Named volumes mounted, with their targets. */
  volumes: VolumeMount[];
  /** What it may use, as the engine reports it (absent: no limit / the engine's default). */
  limits: {
    shmSizeBytes?: number;
    memoryBytes?: number;
    nanoCpus?: number;
    ulimits: Ulimit[];
  };
  /**
   * The gateway of the container's network (e.g. 172.17.0.1 on the default bridge): the source
   * address a client on the Docker host arrives from. Undefined when the container has none
   * (host network, stopped on some engines).
   */
  gateway?: string;
}

export interface ImageDetails {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  labels: Record<string, string>;
  env: Record<string, string>;
  architecture?: string;
  os?: string;
  sizeBytes?: number;
}

export interface EngineVersion {
  version: string;
  apiVersion: string;
  os?: string;
  arch?: string;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  /** Sent to the process' stdin, then stdin is closed. This is how secrets travel. */
  stdin?: string;
  user?: string;
  env?: Record<string, string>;
}

export interface StreamExecOptions {
  tty: boolean;
  stdin?: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** When to pull an image: when it is missing (default), always (refresh the tag), never. */
export type PullPolicy = "missing" | "always" | "never";

export interface PullProgressEvent {
  id?: string;
  status: string;
  current?: number;
  total?: number;
}

/** Registry credentials for one pull, as the Engine API's X-Registry-Auth carries them. */
export interface RegistryAuth {
  /** "https://index.docker.io/v1/" for Docker Hub, else the registry host. */
  serverAddress: string;
  username?: string;
  password?: string;
  identityToken?: string;
}

export interface PullOptions {
  auth?: RegistryAuth;
  /** Aborting closes the pull request, and the engine cancels the pull. */
  signal?: AbortSignal;
}

/** Which engine this is and how it was chosen, for `doctor` and for addresses printed to users. */
export interface EngineConnection {
  /** The address as a user writes it: unix:///var/run/docker.sock, ssh://dev@gpu1, tcp://… */
  url: string;
  transport: "unix" | "tcp" | "ssh";
  /** flag (--host/--context), env (DOCKER_HOST/DOCKER_CONTEXT), context (config.json), default. */
  source: "flag" | "env" | "context" | "default";
  /** The choice in words: "--host", "DOCKER_HOST", 'context "gpu1" (--context)', … */
  via: string;
  /** The Docker context the engine belongs to ("default" for DOCKER_HOST and local sockets). */
  context: string;
  /** The engine's machine as reached from here, when it is another machine. */
  remoteHost?: string;
}

/** What a path inside a container is, as the engine's archive endpoint reports it. */
export interface ContainerPathStat {
  /** The last path element, as the engine names it ("." for a path ending in "/."). */
  name: string;
  size: number;
  /** Permission bits only (0o755 …). */
  mode: number;
  kind: "file" | "directory" | "symlink" | "other";
  /** For a symlink: where it points (Docker reports it resolved to an absolute path). */
  linkTarget?: string;
  mtime?: Date;
}

/** A tar stream of a container path, and what the path is. */
export interface ContainerArchive {
  stat: ContainerPathStat;
  tar: NodeJS.ReadableStream;
}

export interface ArchiveOptions {
  /** Aborting closes the request; the engine stops reading or writing. */
  signal?: AbortSignal;
}

export interface ContainerEngine {
  /** How this engine is reached (not a call: known before the first request). */
  readonly connection: EngineConnection;
  /** "docker" or "podman", from the engine's own version report. */
  kind(): Promise<"docker" | "podman">;
  version(): Promise<EngineVersion>;
  /** The engine's /info document, untouched (parsed by host probes). */
  info(): Promise<Record<string, unknown>>;
  inspectImage(ref: string): Promise<ImageDetails | undefined>;
  /** The images the engine has, tagged or not. */
  listImages(): Promise<ImageSummary[]>;
  pullImage(
    ref: string,
    onProgress?: (event: PullProgressEvent) => void,
    options?: PullOptions,
  ): Promise<void>;
  /** Gives the image `source` the additional name `target` (repository:tag). */
  tagImage(source: string, target: string): Promise<void>;
  /** The images, with their names, as one `docker save` tar stream. */
  saveImage(refs: string[], signal?: AbortSignal): Promise<NodeJS.ReadableStream>;
  /** Loads a `docker save` tar (plain or gzip-compressed); returns the names it loaded. */
  loadImage(tar: NodeJS.ReadableStream, signal?: AbortSignal): Promise<string[]>;
  createContainer(spec: ContainerSpec): Promise<string>;
  startContainer(id: string): Promise<void>;
  /** Changes the restart policy of an existing container in place (`docker update --restart`). */
  updateRestartPolicy(id: string, policy: RestartPolicySpec): Promise<void>;
  /** Gives a container another name (`docker rename`). */
  renameContainer(id: string, name: string): Promise<void>;
  stopContainer(id: string, timeoutSeconds?: number): Promise<void>;
  removeContainer(id: string, options?: { force?: boolean }): Promise<void>;
  inspectContainer(idOrName: string): Promise<ContainerDetails | undefined>;
  listContainers(options: { all: boolean; labels?: string[] }): Promise<ContainerSummary[]>;
  /** Creates the volume; an existing one of that name is returned as it is. */
  createVolume(name: string, labels: Record<string, string>): Promise<VolumeDetails>;
  inspectVolume(name: string): Promise<VolumeDetails | undefined>;
  listVolumes(options: { labels?: string[] }): Promise<VolumeDetails[]>;
  /** Removes the volume; one that is gone already is fine. */
  removeVolume(name: string): Promise<void>;
  logs(id: string, options: { tail?: number }): Promise<string>;
  followLogs(
    id: string,
    options: { tail?: number },
    out: NodeJS.WritableStream,
    signal?: AbortSignal,
  ): Promise<void>;
  exec(id: string, cmd: string[], options?: ExecOptions): Promise<ExecResult>;
  execStream(id: string, cmd: string[], options: StreamExecOptions): Promise<number>;
  /** What is at `path` in the container (running or not); undefined when nothing is there. */
  statPath(id: string, path: string): Promise<ContainerPathStat | undefined>;
  /** A tar of `path` in the container; undefined when nothing is there. */
  getArchive(
    id: string,
    path: string,
    options?: ArchiveOptions,
  ): Promise<ContainerArchive | undefined>;
  /**
   * Unpacks a tar into the existing directory `directory` in the container. The engine refuses
   * to replace a directory with a non-directory or the reverse, as `docker cp` does.
   */
  putArchive(
    id: string,
    directory: string,
    tar: NodeJS.ReadableStream,
    options?: ArchiveOptions,
  ): Promise<void>;
  /** Container events as they happen (create, start, die, destroy…), until `signal` aborts. */
  containerEvents(options: {
    labels?: string[];
    /** Only these actions (default: all). */
    actions?: readonly string[];
    signal: AbortSignal;
  }): AsyncIterable<ContainerEvent>;
  /** One resource sample per engine report (about one a second), until `signal` aborts. */
  containerStats(id: string, signal: AbortSignal): AsyncIterable<ContainerStatsSample>;
  /** A command with a terminal of the given size, whose input, output and size the caller drives. */
  openTerminal(id: string, cmd: string[], size: TerminalSize): Promise<TerminalSession>;
}

export interface ContainerEvent {
  /** The engine's verb: create, start, die, stop, destroy, rename, health_status… */
  action: string;
  id: string;
  /** Name without the leading slash (the engine sends it as the "name" attribute). */
  name: string;
  labels: Record<string, string>;
  time: Date;
}

export interface ContainerStatsSample {
  time: Date;
  /** Share of one CPU, in percent (200 = two CPUs busy), as `docker stats` shows it. */
  cpuPercent: number;
  /** Memory in use without the page cache, as `docker stats` counts it. */
  memoryBytes: number;
  /** The container's limit, or the host's memory when it has none. */
  memoryLimitBytes: number;
}

export interface TerminalSize {
  columns: number;
  rows: number;
}

/** A running command with a terminal: write keystrokes, read the screen, follow the window size. */
export interface TerminalSession {
  write(data: string | Buffer): void;
  onOutput(listener: (chunk: Buffer) => void): void;
  resize(size: TerminalSize): Promise<void>;
  /** Resolves with the exit code once the command has ended. */
  readonly exited: Promise<number>;
  /** Ends the command (end of input, then a hangup signal if it is still running) and waits. */
  close(): Promise<void>;
}

/** An engine call the engine refused; `message` is the engine's own sentence. */
export class EngineCallError extends Error {
  override readonly name = "EngineCallError";
  constructor(
    message: string,
    readonly statusCode?: number,
  ) {
    super(message);
  }
}
