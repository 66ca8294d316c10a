/**
 * The one place where the dashboard meets the library: each route calls one of these, and each
 * of these calls one library operation with the same options the CLI passes, and returns what
 * the CLI prints with --json. Nothing here decides anything about environments.
 *
 * Until the library exports `up(options, context)` and its siblings, the CLI's own wiring of
 * today's operations is reused from here, so the dashboard and the CLI cannot differ.
 */
import { PassThrough } from "node:stream";
import { assessImageForHost } from "../plan/image/assess-image.js";
import { filterImages } from "../catalog/filter-images.js";
import { PUBLISHED_IMAGES } from "../catalog/published-images.js";
import { accessSettingsForUp, afterRemove, afterStart } from "../cli/access-hooks.js";
import { createEngine } from "../cli/context.js";
import { accessInfo, portsByPurpose } from "../cli/describe-environment.js";
import { registryContext } from "../cli/registry-hooks.js";
import { toolVersion } from "../cli/tool-version.js";
import { loadFacts, toEnvironmentOptions, type UpFlags } from "../cli/up-options.js";
import { runDoctor, summarize } from "../doctor/run-doctor.js";
import type { ContainerEngine, TerminalSession, TerminalSize } from "../engine/types.js";
import { obtainImage } from "../registry/obtain-image.js";
import { getEnvironment, listEnvironments } from "../environment/find.js";
import { removeEnvironment, startEnvironment, stopEnvironment } from "../environment/lifecycle.js";
import {
  environmentLogs,
  environmentStats,
  openEnvironmentTerminal,
  watchEnvironments,
} from "../environment/observe.js";
import { up as upEnvironment } from "../environment/up.js";
import { candidatePorts, probeHost } from "../host/probe-host.js";
import { LABELS } from "../labels.js";
import { DEFAULT_PORTS } from "../plan/options.js";
import { planEnvironment } from "../plan/plan-environment.js";
import { renderShellScript } from "../plan/render-shell-script.js";
import type { CreateOptions, ProgressEvent, StatsSample } from "./protocol.js";

export interface OperationContext {
  signal?: AbortSignal;
  onEvent?: (event: ProgressEvent) => void;
}

type Result = Record<string, unknown>;

/** The CLI's report without its terminal lines (the page renders the fields itself). */
function withoutTerminalLines(report: Record<string, unknown>): Result {
  return Object.fromEntries(Object.entries(report).filter(([key]) => key !== "summaryLines"));
}

/** The CLI's flags for `up`/`plan`/`script`, from the form's options (defaults as commander's). */
function upFlags(options: CreateOptions): UpFlags & Record<string, unknown> {
  return {
    ...(options.image ? { image: options.image } : {}),
    gpus: options.gpus || "auto",
    ...(options.npu ? { npu: options.npu } : {}),
    ...(options.debug ? { debug: options.debug } : {}),
    mount: options.mount ?? [],
    defaultMounts: options.defaultMounts ?? true,
    ...(options.sshPort ? { sshPort: options.sshPort } : {}),
    ...(options.editorPort ? { editorPort: options.editorPort } : {}),
    ...(options.httpPort ? { httpPort: options.httpPort } : {}),
    ...(options.bind ? { bind: options.bind } : {}),
    json: true,
  };
}

export class DashboardOperations {
  constructor(readonly engine: ContainerEngine = createEngine()) {}

  /** What `ls --all --json` prints. */
  async ls(): Promise<Result> {
    const list = await listEnvironments(this.engine, true);
    return {
      environments: list.map((c) => ({
        name: c.name,
        id: c.id,
        state: c.status,
        image: c.labels[LABELS.image] ?? c.image,
        ports: portsByPurpose(c),
        created: c.created.toISOString(),
        ...(c.labels[LABELS.cudaVersion] ? { cudaVersion: c.labels[LABELS.cudaVersion] } : {}),
      })),
    };
  }

  /** What `status NAME --json` prints (without the live checks of ssh and the editor). */
  async status(name: string): Promise<Result> {
    const c = await getEnvironment(this.engine, name);
    const access = accessInfo(c);
    return {
      name: c.name,
      id: c.id,
      state: c.status,
      created: c.created.toISOString(),
      image: {
        reference: c.labels[LABELS.image] ?? c.image,
        id: c.labels[LABELS.imageId] ?? c.imageId,
        ...(c.labels[LABELS.imageDigest] ? { digest: c.labels[LABELS.imageDigest] } : {}),
        ...(c.labels[LABELS.cudaVersion] ? { cudaVersion: c.labels[LABELS.cudaVersion] } : {}),
      },
      ports: access.ports,
      ...(access.ssh ? { ssh: access.ssh } : {}),
      ...(access.editor ? { editor: access.editor } : {}),
      ...(access.http ? { http: access.http } : {}),
    };
  }

  async start(name: string): Promise<Result> {
    const wasRunning = (await getEnvironment(this.engine, name)).status === "running";
    const c = await startEnvironment(this.engine, name);
    const report = wasRunning ? {} : await afterStart(this.engine, c, { json: true });
    return { name: c.name, id: c.id, state: c.status, ...withoutTerminalLines(report) };
  }

  async stop(name: string): Promise<Result> {
    const c = await stopEnvironment(this.engine, name);
    return { name: c.name, id: c.id, state: c.status };
  }

  async rm(name: string, options: { force: boolean }): Promise<Result> {
    const c = await removeEnvironment(this.engine, name, options);
    await afterRemove(c);
    return { name: c.name, id: c.id, removed: true };
  }

  /** `develop NAME`: developer mode on, the editor answering. */
  async develop(name: string, context: OperationContext = {}): Promise<Result> {
    const c = await getEnvironment(this.engine, name);
    const report = await afterStart(this.engine, { ...c }, { json: true });
    context.onEvent?.({ type: "step", title: "developer mode" });
    return { name: c.name, ...withoutTerminalLines(report) };
  }

  /** `plan --json` and `script` for the same options. */
  async plan(options: CreateOptions): Promise<Result> {
    const flags = upFlags(options);
    const facts = await loadFacts(this.engine, flags);
    const resolved = toEnvironmentOptions(options.name, flags, facts);
    const plan = planEnvironment(resolved.options, facts);
    return { plan, script: renderShellScript(plan, { explain: false }) };
  }

  /** `up --json`, its progress as events. */
  async up(options: CreateOptions, context: OperationContext = {}): Promise<Result> {
    const flags = upFlags(options);
    const emit = context.onEvent ?? (() => undefined);
    const registries = await registryContext({});
    const result = await upEnvironment(
      this.engine,
      {
        ...(options.name ? { name: options.name } : {}),
        options: (facts) => toEnvironmentOptions(options.name, flags, facts).options,
      },
      {
        pull: "missing",
        timeoutSeconds: 120,
        keepOnFailure: false,
        recreate: false,
        probeFacts: (extra) => loadFacts(this.engine, flags, extra),
        log: (line) => emit({ type: "step", title: line }),
        obtainImage: (image) =>
          obtainImage(this.engine, image, {
            policy: "missing",
            registries: registries.registries,
            credentials: registries.credentials,
            onProgress: (e) => emit({ type: "pull", ...e }),
            ...(context.signal ? { signal: context.signal } : {}),
          }),
        ...accessSettingsForUp({ ...flags, sshConfig: true, developMode: true, editorAllow: [] }),
      },
    );
    const c = result.container;
    const access = accessInfo(c);
    const report = withoutTerminalLines(result.report);
    return {
      action: result.action,
      name: c.name,
      id: c.id,
      image: result.plan.image,
      state: c.status,
      ports: access.ports,
      ...(access.ssh ? { ssh: access.ssh } : {}),
      ...(access.editor ? { editor: access.editor } : {}),
      warnings: result.warnings.map((w) => w.message),
      notes: result.plan.notes,
      ...report,
    };
  }

  /** `pull IMAGE --json`, its progress as events. */
  async pull(reference: string, context: OperationContext = {}): Promise<Result> {
    const registries = await registryContext({});
    const pulled = await obtainImage(this.engine, reference, {
      policy: "always",
      registries: registries.registries,
      credentials: registries.credentials,
      onProgress: (e) => context.onEvent?.({ type: "pull", ...e }),
      ...(context.signal ? { signal: context.signal } : {}),
    });
    return { image: reference, id: pulled.id };
  }

  /** `images --for-host --json`. */
  async images(): Promise<Result> {
    const entries = filterImages(PUBLISHED_IMAGES, { includeOld: false });
    const facts = await probeHost(this.engine, { ports: [] });
    const present = await Promise.all(
      entries.map(
        async (e) =>
          (await this.engine.inspectImage(`${e.repository}:${e.defaultTag}`)) !== undefined,
      ),
    );
    return {
      images: entries.map((e, i) => {
        const usability = assessImageForHost(e, facts);
        return {
          reference: `${e.repository}:${e.defaultTag}`,
          kind: e.kind,
          engine: e.engine,
          engineVersion: e.engineVersion,
          accel: e.accel,
          accelVersion: e.accelVersion,
          os: e.os,
          arch: e.arch,
          present: present[i] ?? null,
          usable: usability.usable,
          why: usability.reason,
        };
      }),
    };
  }

  /** `doctor --json`. */
  async doctor(): Promise<Result> {
    const facts = await probeHost(this.engine, {
      ports: candidatePorts([DEFAULT_PORTS.ssh, DEFAULT_PORTS.editor, DEFAULT_PORTS.http], 1),
    });
    const checks = runDoctor(facts);
    return { summary: summarize(checks), checks };
  }

  /** No upgrade operation in the library yet: the page shows no button for it. */
  readonly upgrade: ((name: string, context: OperationContext) => Promise<Result>) | undefined =
    undefined;

  watch(signal: AbortSignal) {
    return watchEnvironments(this.engine, signal);
  }

  async *stats(name: string, signal: AbortSignal): AsyncIterable<StatsSample> {
    for await (const s of environmentStats(this.engine, name, signal)) {
      yield { ...s, time: s.time.toISOString() };
    }
  }

  /** The log so far, or followed: chunks of text as the engine sends them. */
  logs(
    name: string,
    options: { tail?: number; follow: boolean },
    onText: (text: string) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const out = new PassThrough();
    out.on("data", (chunk: Buffer) => onText(chunk.toString("utf8")));
    return environmentLogs(this.engine, name, options, out, signal);
  }

  terminal(name: string, size: TerminalSize): Promise<TerminalSession> {
    return openEnvironmentTerminal(this.engine, name, size);
  }

  version(): string {
    return toolVersion();
  }
}
