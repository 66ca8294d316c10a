import type Docker from "dockerode";
import type {
  ArchiveOptions,
  ContainerArchive,
  ContainerDetails,
  ContainerPathStat,
  ContainerEngine,
  ContainerSpec,
  ContainerSummary,
  EngineConnection,
  EngineVersion,
  ExecOptions,
  ExecResult,
  ImageDetails,
  ImageSummary,
  PullOptions,
  PullProgressEvent,
  RestartPolicySpec,
  StreamExecOptions,
  ContainerEvent,
  ContainerStatsSample,
  TerminalSession,
  TerminalSize,
  VolumeDetails,
} from "../types.js";
import { type EngineTarget, engineTarget } from "../select/choose-engine.js";
import * as archives from "./archive.js";
import { loadDockerode } from "./defer-heavy-modules.js";
import {
  type EarlyAnswer,
  askEarly,
  askedEarly,
  containerListPath,
  earlyRequestsWritten,
  takeEarlyAnswer,
} from "./early-answers.js";
import {
  toContainerDetails,
  toContainerSummary,
  toImageDetails,
  toVolumeDetails,
} from "./mappers.js";
import { type PingReport, pingHeaders, versionFromPingHeaders } from "./ping.js";
import type { DockerClient } from "./client.js";
import * as containers from "./containers.js";
import { type DockerConnectOptions, newDockerode, toDockerOptions } from "./docker-options.js";
import { wrapError } from "./engine-errors.js";
import * as execs from "./exec.js";
import * as images from "./images.js";
import { containerEvents } from "./container-events.js";
import { containerStats } from "./container-stats.js";
import { openTerminal } from "./terminal.js";
import * as volumes from "./volumes.js";

export class DockerEngine implements ContainerEngine {
  private readonly options: DockerConnectOptions;
  private dockerode?: Docker;
  private readonly endpoint: string;
  /** Where answers asked for early (early-answers.ts) are found: a local socket only. */
  private readonly earlySocket: string | undefined;
  readonly connection: EngineConnection;

  /** Without a target: the engine the docker CLI would use here (DOCKER_HOST, contexts, …). */
  constructor(target: EngineTarget = engineTarget()) {
    this.options = toDockerOptions(target.endpoint);
    this.connection = target.connection;
    this.endpoint = target.connection.url;
    this.earlySocket =
      target.endpoint.transport === "unix" ? target.endpoint.socketPath : undefined;
  }

  /**
   * dockerode, loaded on first use: `ls` answered from an early answer (and its cache of
   * inspections) never needs it.
   */
  private get docker(): Docker {
    this.dockerode ??= newDockerode(loadDockerode(), this.options);
    return this.dockerode;
  }

  /**
   * A GET on a local socket that goes out before dockerode has loaded (~15-20 ms of requires,
   * which then happen while the engine answers): the first looks of a command (its container,
   * /_ping, /info, the image) need nothing of dockerode. Once it has loaded, or for an answer
   * other than 200 or 404 (or none), undefined: the caller asks through dockerode, as before,
   * errors and all.
   */
  private async earlyGet(path: string): Promise<EarlyAnswer | undefined> {
    const socket = this.earlySocket;
    if (socket === undefined) return undefined;
    // Asked as the command line started (ls): taken without making dockerode, which such a
    // command may never need.
    if (!this.dockerode && !askedEarly(socket, path)) {
      void askEarly(socket, path);
      this.loadDockerodeOnceAsked();
    }
    return takeEarlyAnswer(socket, path, { notFound: true });
  }

  /**
   * An inspection answered early: `found` is the mapped object, or undefined for the engine's
   * 404, as the inspections through dockerode answer; none when it must be asked through them.
   */
  private async earlyInspection<Raw, Details>(
    path: string,
    map: (raw: Raw) => Details,
  ): Promise<{ found: Details | undefined } | undefined> {
    const early = await this.earlyGet(path);
    if (!early) return undefined;
    return { found: early.status === 404 ? undefined : map(JSON.parse(early.body) as Raw) };
  }

  private dockerodeScheduled = false;
  /** dockerode loads once the first requests are on their way: the engine answers meanwhile. */
  private loadDockerodeOnceAsked(): void {
    if (this.dockerodeScheduled) return;
    this.dockerodeScheduled = true;
    void earlyRequestsWritten().then(() =>
      setImmediate(() => {
        try {
          void this.docker;
        } catch {
          // Not here, out of a timer: the next call through dockerode meets it and reports it.
        }
      }),
    );
  }

  /** Runs an engine call, turning socket failures into ENGINE_UNAVAILABLE. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw wrapError(err, this.endpoint);
    }
  }

  /** The connection as the concern modules (images, containers, exec) take it. */
  private get client(): DockerClient {
    return {
      docker: this.docker,
      call: (fn) => this.call(fn),
      wrap: (err) => wrapError(err, this.endpoint),
    };
  }

  /**
   * One /_ping per engine object: kind() and version() both read its headers; /version only for
   * an engine whose headers do not say (see ping.ts).
   */
  private versionReport?: Promise<PingReport>;
  private report(): Promise<PingReport> {
    this.versionReport ??= this.call(async () => {
      const early = await this.earlyGet("/_ping");
      const headers = early?.status === 200 ? early.headers : await pingHeaders(this.docker);
      const fromPing = versionFromPingHeaders(headers);
      if (fromPing) return fromPing;
      const v = await this.docker.version();
      const components = (v as { Components?: Array<{ Name?: string }> }).Components ?? [];
      return {
        kind: components.some((c) => /podman/i.test(c.Name ?? "")) ? "podman" : "docker",
        version: v.Version,
        apiVersion: v.ApiVersion,
        os: v.Os,
        arch: v.Arch,
      };
    });
    return this.versionReport;
  }

  async kind(): Promise<"docker" | "podman"> {
    return (await this.report()).kind;
  }

  async version(): Promise<EngineVersion> {
    const { version, apiVersion, os, arch } = await this.report();
    return { version, apiVersion, ...(os ? { os } : {}), ...(arch ? { arch } : {}) };
  }

  async info(): Promise<Record<string, unknown>> {
    const early = await this.earlyGet("/info");
    if (early?.status === 200) return JSON.parse(early.body) as Record<string, unknown>;
    return (await this.call(() => this.docker.info())) as Record<string, unknown>;
  }

  listImages(): Promise<ImageSummary[]> {
    return images.listImages(this.client);
  }

  async inspectImage(ref: string): Promise<ImageDetails | undefined> {
    const early = await this.earlyInspection(`/images/${pathPart(ref)}/json`, toImageDetails);
    return early ? early.found : images.inspectImage(this.client, ref);
  }

  pullImage(
    ref: string,
    onProgress?: (event: PullProgressEvent) => void,
    options: PullOptions = {},
  ): Promise<void> {
    return images.pullImage(this.client, ref, onProgress, options);
  }

  tagImage(source: string, target: string): Promise<void> {
    return images.tagImage(this.client, source, target);
  }

  saveImage(refs: string[], signal?: AbortSignal): Promise<NodeJS.ReadableStream> {
    return images.saveImage(this.client, refs, signal);
  }

  loadImage(tar: NodeJS.ReadableStream, signal?: AbortSignal): Promise<string[]> {
    return images.loadImage(this.client, tar, signal);
  }

  createContainer(spec: ContainerSpec): Promise<string> {
    return containers.createContainer(this.client, spec);
  }

  startContainer(id: string): Promise<void> {
    return containers.startContainer(this.client, id);
  }

  updateRestartPolicy(id: string, policy: RestartPolicySpec): Promise<void> {
    return containers.updateRestartPolicy(this.client, id, policy);
  }

  renameContainer(id: string, name: string): Promise<void> {
    return containers.renameContainer(this.client, id, name);
  }

  stopContainer(id: string, timeoutSeconds?: number): Promise<void> {
    return containers.stopContainer(this.client, id, timeoutSeconds);
  }

  removeContainer(id: string, options?: { force?: boolean }): Promise<void> {
    return containers.removeContainer(this.client, id, options);
  }

  async inspectContainer(idOrName: string): Promise<ContainerDetails | undefined> {
    const path = `/containers/${pathPart(idOrName)}/json`;
    const early = await this.earlyInspection(path, toContainerDetails);
    return early ? early.found : containers.inspectContainer(this.client, idOrName);
  }

  async listContainers(options: { all: boolean; labels?: string[] }): Promise<ContainerSummary[]> {
    const early = await this.earlyGet(containerListPath(options));
    if (early?.status === 200) {
      return (JSON.parse(early.body) as Docker.ContainerInfo[]).map(toContainerSummary);
    }
    return containers.listContainers(this.client, options);
  }

  createVolume(name: string, labels: Record<string, string>): Promise<VolumeDetails> {
    return volumes.createVolume(this.client, name, labels);
  }

  async inspectVolume(name: string): Promise<VolumeDetails | undefined> {
    const early = await this.earlyInspection(`/volumes/${pathPart(name)}`, toVolumeDetails);
    return early ? early.found : volumes.inspectVolume(this.client, name);
  }

  listVolumes(options: { labels?: string[] }): Promise<VolumeDetails[]> {
    return volumes.listVolumes(this.client, options);
  }

  removeVolume(name: string): Promise<void> {
    return volumes.removeVolume(this.client, name);
  }

  logs(id: string, options: { tail?: number }): Promise<string> {
    return containers.logs(this.client, id, options);
  }

  followLogs(
    id: string,
    options: { tail?: number },
    out: NodeJS.WritableStream,
    signal?: AbortSignal,
  ): Promise<void> {
    return containers.followLogs(this.client, id, options, out, signal);
  }

  exec(id: string, cmd: string[], options: ExecOptions = {}): Promise<ExecResult> {
    return execs.exec(this.client, id, cmd, options);
  }

  execStream(id: string, cmd: string[], options: StreamExecOptions): Promise<number> {
    return execs.runExec(this.client, id, cmd, options);
  }

  statPath(id: string, path: string): Promise<ContainerPathStat | undefined> {
    return archives.statPath(this.client, id, path);
  }

  getArchive(
    id: string,
    path: string,
    options?: ArchiveOptions,
  ): Promise<ContainerArchive | undefined> {
    return archives.getArchive(this.client, id, path, options);
  }

  putArchive(
    id: string,
    directory: string,
    tar: NodeJS.ReadableStream,
    options?: ArchiveOptions,
  ): Promise<void> {
    return archives.putArchive(this.client, id, directory, tar, options);
  }

  containerEvents(options: {
    labels?: string[];
    actions?: readonly string[];
    signal: AbortSignal;
  }): AsyncIterable<ContainerEvent> {
    return containerEvents(this.client, options);
  }

  containerStats(id: string, signal: AbortSignal): AsyncIterable<ContainerStatsSample> {
    return containerStats(this.client, id, signal);
  }

  openTerminal(id: string, cmd: string[], size: TerminalSize): Promise<TerminalSession> {
    return openTerminal(this.client, id, cmd, size);
  }
}

/** A name in a request path, its own characters escaped and its slashes kept (image names). */
function pathPart(name: string): string {
  return name.split("/").map(encodeURIComponent).join("/");
}
