import { PassThrough } from "node:stream";
import Docker from "dockerode";
import { ModelboxDevError } from "../../errors.js";
import {
  type ContainerDetails,
  type ContainerEngine,
  type ContainerSpec,
  type ContainerStatus,
  type ContainerSummary,
  type EngineVersion,
  type ExecOptions,
  type ExecResult,
  type ImageDetails,
  type PublishedPort,
  type PullOptions,
  type PullProgressEvent,
  type RegistryAuth,
  type StreamExecOptions,
  EngineCallError,
} from "../types.js";
import { daemonMessageOf, statusCodeOf, translateConnectionError } from "./engine-errors.js";
import { toCreateOptions } from "./to-create-options.js";

/** Where dockerode will connect: DOCKER_HOST, or the default socket. */
export function describeEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_HOST ?? "unix:///var/run/docker.sock";
}

function envListToRecord(list: string[] | undefined | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list ?? []) {
    const eq = item.indexOf("=");
    if (eq > 0) out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

function portsFromSummary(ports: Docker.Port[]): PublishedPort[] {
  return ports
    .filter((p) => p.PublicPort !== undefined && p.Type === "tcp")
    .map((p) => ({ hostIp: p.IP ?? "", hostPort: p.PublicPort, containerPort: p.PrivatePort }));
}

function portsFromInspect(
  bindings: Record<string, Array<{ HostIp: string; HostPort: string }> | null> | undefined,
): PublishedPort[] {
  const out: PublishedPort[] = [];
  for (const [key, list] of Object.entries(bindings ?? {})) {
    const [port, proto] = key.split("/");
    if (proto !== "tcp" || !list) continue;
    for (const b of list) {
      out.push({ hostIp: b.HostIp, hostPort: Number(b.HostPort), containerPort: Number(port) });
    }
  }
  return out;
}

/** The default bridge reports its gateway at the top level; user networks only per network. */
function gatewayOf(
  settings: { Gateway?: string; Networks?: Record<string, { Gateway?: string }> } | undefined,
): { gateway?: string } {
  const gateway =
    settings?.Gateway ||
    Object.values(settings?.Networks ?? {})
      .map((n) => n.Gateway)
      .find((g) => g);
  return gateway ? { gateway } : {};
}

export class DockerEngine implements ContainerEngine {
  private readonly docker: Docker;
  private readonly endpoint: string;

  constructor(options?: Docker.DockerOptions) {
    // dockerode reads DOCKER_HOST / DOCKER_TLS_VERIFY / DOCKER_CERT_PATH itself when no options.
    this.docker = options ? new Docker(options) : new Docker();
    this.endpoint = describeEndpoint();
  }

  /** Runs an engine call, turning socket failures into ENGINE_UNAVAILABLE. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw wrapError(err, this.endpoint);
    }
  }

  /** One /version call per engine object: kind() and version() both read it. */
  private versionReport?: Promise<Docker.DockerVersion>;
  private rawVersion(): Promise<Docker.DockerVersion> {
    this.versionReport ??= this.call(() => this.docker.version());
    return this.versionReport;
  }

  async kind(): Promise<"docker" | "podman"> {
    const v = await this.rawVersion();
    const components = (v as { Components?: Array<{ Name?: string }> }).Components ?? [];
    return components.some((c) => /podman/i.test(c.Name ?? "")) ? "podman" : "docker";
  }

  async version(): Promise<EngineVersion> {
    const v = await this.rawVersion();
    return { version: v.Version, apiVersion: v.ApiVersion, os: v.Os, arch: v.Arch };
  }

  async info(): Promise<Record<string, unknown>> {
    return (await this.call(() => this.docker.info())) as Record<string, unknown>;
  }

  async inspectImage(ref: string): Promise<ImageDetails | undefined> {
    try {
      const img = await this.call(() => this.docker.getImage(ref).inspect());
      return {
        id: img.Id,
        repoTags: img.RepoTags ?? [],
        repoDigests: img.RepoDigests ?? [],
        labels: img.Config?.Labels ?? {},
        env: envListToRecord(img.Config?.Env),
        architecture: img.Architecture,
        os: img.Os,
        sizeBytes: img.Size,
      };
    } catch (err) {
      if (statusCodeOf(err) === 404) return undefined;
      throw err;
    }
  }

  async pullImage(
    ref: string,
    onProgress?: (event: PullProgressEvent) => void,
    options: PullOptions = {},
  ): Promise<void> {
    const { signal, auth } = options;
    const stream = (await this.call(() =>
      this.docker.pull(ref, {
        ...(auth ? { authconfig: toAuthConfig(auth) } : {}),
        ...(signal ? { abortSignal: signal } : {}),
      }),
    )) as NodeJS.ReadableStream & { destroy?: () => void };
    await new Promise<void>((resolve, reject) => {
      // Closing the request is how a pull is cancelled: the engine stops when its client goes.
      const abort = () => {
        stream.destroy?.();
        reject(new EngineCallError("The pull was cancelled."));
      };
      if (signal?.aborted) return abort();
      signal?.addEventListener("abort", abort, { once: true });
      this.docker.modem.followProgress(
        stream,
        (err: Error | null, output: Array<{ error?: string }>) => {
          signal?.removeEventListener("abort", abort);
          if (err) return reject(wrapError(err, this.endpoint));
          // A pull can end "successfully" at the HTTP level with an error event in the stream.
          const failed = output.find((o) => o.error);
          if (failed?.error) return reject(new EngineCallError(failed.error));
          resolve();
        },
        (event: {
          id?: string;
          status?: string;
          progressDetail?: { current?: number; total?: number };
        }) => {
          onProgress?.({
            id: event.id,
            status: event.status ?? "",
            current: event.progressDetail?.current,
            total: event.progressDetail?.total,
          });
        },
      );
    });
  }

  async tagImage(source: string, target: string): Promise<void> {
    // The tag follows the last ':' after the last '/' (a ':' before it is a registry port).
    const colon = target.lastIndexOf(":");
    const hasTag = colon > target.lastIndexOf("/");
    const repo = hasTag ? target.slice(0, colon) : target;
    const tag = hasTag ? target.slice(colon + 1) : "latest";
    await this.call(() => this.docker.getImage(source).tag({ repo, tag }));
  }

  async saveImage(refs: string[], signal?: AbortSignal): Promise<NodeJS.ReadableStream> {
    // GET /images/get?names=… (dockerode's getImages, which its typings leave out).
    const docker = this.docker as unknown as {
      getImages(opts: {
        names: string[];
        abortSignal?: AbortSignal;
      }): Promise<NodeJS.ReadableStream>;
    };
    return this.call(() =>
      docker.getImages({ names: refs, ...(signal ? { abortSignal: signal } : {}) }),
    );
  }

  async loadImage(tar: NodeJS.ReadableStream, signal?: AbortSignal): Promise<string[]> {
    const stream = await this.call(() =>
      this.docker.loadImage(tar, { quiet: true, ...(signal ? { abortSignal: signal } : {}) }),
    );
    const output = await new Promise<Array<{ stream?: string; error?: string }>>(
      (resolve, reject) => {
        this.docker.modem.followProgress(
          stream,
          (err: Error | null, out: Array<{ stream?: string; error?: string }>) =>
            err ? reject(wrapError(err, this.endpoint)) : resolve(out),
        );
      },
    );
    const failed = output.find((o) => o.error);
    if (failed?.error) throw new EngineCallError(failed.error);
    // "Loaded image: repo:tag" per name; "Loaded image ID: sha256:…" for an unnamed image.
    return output.flatMap((o) => {
      const m = /^Loaded image(?: ID)?: (\S+)/.exec(o.stream ?? "");
      return m?.[1] ? [m[1]] : [];
    });
  }

  async createContainer(spec: ContainerSpec): Promise<string> {
    const container = await this.call(() => this.docker.createContainer(toCreateOptions(spec)));
    return container.id;
  }

  async startContainer(id: string): Promise<void> {
    await this.call(() => this.docker.getContainer(id).start());
  }

  async stopContainer(id: string, timeoutSeconds?: number): Promise<void> {
    try {
      await this.call(() =>
        this.docker
          .getContainer(id)
          .stop(timeoutSeconds === undefined ? {} : { t: timeoutSeconds }),
      );
    } catch (err) {
      if (statusCodeOf(err) === 304) return; // already stopped
      throw err;
    }
  }

  async removeContainer(id: string, options?: { force?: boolean }): Promise<void> {
    try {
      await this.call(() =>
        this.docker.getContainer(id).remove({ force: options?.force ?? false, v: true }),
      );
    } catch (err) {
      if (statusCodeOf(err) === 404) return;
      throw err;
    }
  }

  async inspectContainer(idOrName: string): Promise<ContainerDetails | undefined> {
    try {
      const c = await this.call(() => this.docker.getContainer(idOrName).inspect());
      const hostConfig = c.HostConfig as unknown as Record<string, unknown>;
      return {
        id: c.Id,
        name: c.Name.replace(/^\//, ""),
        status: c.State.Status as ContainerStatus,
        image: c.Config.Image,
        imageId: c.Image,
        labels: c.Config.Labels ?? {},
        created: new Date(c.Created),
        ports: portsFromInspect(hostConfig.PortBindings as Parameters<typeof portsFromInspect>[0]),
        exitCode: c.State.ExitCode,
        startedAt: c.State.StartedAt ? new Date(c.State.StartedAt) : undefined,
        finishedAt: c.State.FinishedAt ? new Date(c.State.FinishedAt) : undefined,
        hostConfig,
        ...gatewayOf(c.NetworkSettings),
      };
    } catch (err) {
      if (statusCodeOf(err) === 404) return undefined;
      throw err;
    }
  }

  async listContainers(options: { all: boolean; labels?: string[] }): Promise<ContainerSummary[]> {
    const filters = options.labels?.length ? { label: options.labels } : undefined;
    const list = await this.call(() =>
      this.docker.listContainers({ all: options.all, ...(filters ? { filters } : {}) }),
    );
    return list.map((c) => ({
      id: c.Id,
      name: (c.Names[0] ?? "").replace(/^\//, ""),
      status: c.State as ContainerStatus,
      image: c.Image,
      labels: c.Labels ?? {},
      created: new Date(c.Created * 1000),
      ports: portsFromSummary(c.Ports),
    }));
  }

  async logs(id: string, options: { tail?: number }): Promise<string> {
    const container = this.docker.getContainer(id);
    const raw = await this.call(() =>
      container.logs({
        stdout: true,
        stderr: true,
        follow: false,
        ...(options.tail === undefined ? {} : { tail: options.tail }),
      }),
    );
    const info = await this.call(() => container.inspect());
    const buffer = Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw));
    return info.Config.Tty ? buffer.toString("utf8") : demuxBuffer(buffer);
  }

  async followLogs(
    id: string,
    options: { tail?: number },
    out: NodeJS.WritableStream,
    signal?: AbortSignal,
  ): Promise<void> {
    const container = this.docker.getContainer(id);
    const info = await this.call(() => container.inspect());
    const stream = (await this.call(() =>
      container.logs({
        stdout: true,
        stderr: true,
        follow: true,
        ...(options.tail === undefined ? {} : { tail: options.tail }),
      }),
    )) as unknown as NodeJS.ReadableStream & { destroy?: () => void };
    if (info.Config.Tty) stream.pipe(out, { end: false });
    else this.docker.modem.demuxStream(stream, out, out);
    await new Promise<void>((resolve, reject) => {
      signal?.addEventListener("abort", () => {
        stream.destroy?.();
        resolve();
      });
      stream.on("end", resolve);
      stream.on("error", reject);
    });
  }

  async exec(id: string, cmd: string[], options: ExecOptions = {}): Promise<ExecResult> {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
    stdout.on("data", (c: Buffer) => chunks.out.push(c));
    stderr.on("data", (c: Buffer) => chunks.err.push(c));
    const input = options.stdin === undefined ? undefined : new PassThrough();
    input?.end(options.stdin);
    const exitCode = await this.runExec(id, cmd, {
      tty: false,
      stdout,
      stderr,
      ...(input ? { stdin: input } : {}),
      user: options.user,
      env: options.env,
    });
    return {
      exitCode,
      stdout: Buffer.concat(chunks.out).toString("utf8"),
      stderr: Buffer.concat(chunks.err).toString("utf8"),
    };
  }

  execStream(id: string, cmd: string[], options: StreamExecOptions): Promise<number> {
    return this.runExec(id, cmd, options);
  }

  private async runExec(
    id: string,
    cmd: string[],
    options: StreamExecOptions & { user?: string; env?: Record<string, string> },
  ): Promise<number> {
    const container = this.docker.getContainer(id);
    const exec = await this.call(() =>
      container.exec({
        Cmd: cmd,
        AttachStdin: options.stdin !== undefined,
        AttachStdout: true,
        AttachStderr: true,
        Tty: options.tty,
        ...(options.user ? { User: options.user } : {}),
        ...(options.env ? { Env: Object.entries(options.env).map(([k, v]) => `${k}=${v}`) } : {}),
      }),
    );
    const stream = await this.call(() =>
      exec.start({ hijack: true, stdin: options.stdin !== undefined, Tty: options.tty }),
    );
    // A terminal on our side: the process inside gets its size, now and whenever it changes.
    const terminal = options.stdout as NodeJS.WritableStream & {
      columns?: number;
      rows?: number;
      on?: (event: "resize", listener: () => void) => unknown;
      off?: (event: "resize", listener: () => void) => unknown;
    };
    const resize = () => {
      if (terminal.columns && terminal.rows) {
        exec.resize({ w: terminal.columns, h: terminal.rows }).catch(() => undefined);
      }
    };
    if (options.tty && terminal.columns) {
      resize();
      terminal.on?.("resize", resize);
    }
    await new Promise<void>((resolve, reject) => {
      if (options.tty) stream.pipe(options.stdout, { end: false });
      else this.docker.modem.demuxStream(stream, options.stdout, options.stderr);
      stream.on("end", resolve);
      stream.on("close", resolve);
      stream.on("error", reject);
      if (options.stdin) {
        options.stdin.pipe(stream);
        // Closing our write side tells the process its stdin ended, without closing the output.
        options.stdin.on("end", () => (stream as unknown as { end: () => void }).end());
      }
    });
    if (options.tty) terminal.off?.("resize", resize);
    // The exit code can lag the end of the stream by a moment.
    for (let attempt = 0; attempt < 50; attempt++) {
      const state = await this.call(() => exec.inspect());
      if (!state.Running && state.ExitCode !== null) return state.ExitCode;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new ModelboxDevError(
      "EXEC_FAILED",
      `The command ${JSON.stringify(cmd[0])} did not report an exit code.`,
    );
  }
}

/** X-Registry-Auth as the Engine API reads it (dockerode base64-encodes it). */
function toAuthConfig(auth: RegistryAuth): Record<string, string> {
  return {
    serveraddress: auth.serverAddress,
    ...(auth.username !== undefined ? { username: auth.username } : {}),
    ...(auth.password !== undefined ? { password: auth.password } : {}),
    ...(auth.identityToken !== undefined ? { identitytoken: auth.identityToken } : {}),
  };
}

function wrapError(err: unknown, endpoint: string): Error {
  const translated = translateConnectionError(err, endpoint);
  if (translated instanceof ModelboxDevError) return translated;
  if (err instanceof ModelboxDevError) return err;
  return new EngineCallError(daemonMessageOf(err), statusCodeOf(err));
}

/** Splits Docker's multiplexed log stream (8-byte frame headers) into plain text. */
export function demuxBuffer(buffer: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return Buffer.concat(parts).toString("utf8");
}
