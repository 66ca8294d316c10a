import { stat } from "node:fs/promises";
import { ModelboxDevError } from "../errors.js";
import { classifyDaemonError } from "./classify-daemon-error.js";
import {
  type ContainerDetails,
  type ContainerEngine,
  EngineCallError,
  type ImageDetails,
  type PullProgressEvent,
} from "../engine/types.js";
import type { HostFacts } from "../host/facts.js";
import { type PortListenCheck, listenCheck } from "../host/probe-ports.js";
import { LABELS } from "../labels.js";
import type { EnvironmentOptions } from "../plan/options.js";
import { planEnvironment } from "../plan/plan-environment.js";
import { diffSpecs, portsFromSpec, specOf } from "../plan/spec-hash.js";
import type { Plan, PlanWarning } from "../plan/types.js";
import { type PullPolicy, ensureImage } from "../registry/obtain-image.js";
import { isManaged, lastLogLines } from "./find.js";
import { reachableAddress, waitForRunning, waitForSshBanner } from "./readiness.js";
import { imageDrift, preflightDisk, preflightImage } from "./preflight.js";
import { diagnoseUnreachablePort } from "../host/firewall/diagnose-unreachable.js";
import { toContainerSpec } from "./to-container-spec.js";
import { validateName } from "../plan/validate.js";

export interface UpSettings {
  pull: PullPolicy;
  timeoutSeconds: number;
  keepOnFailure: boolean;
  recreate: boolean;
  /** Host facts, probed by the caller (once) for the ports the plan may use. */
  /** `extraPorts`: host ports the existing environment used, to probe beside the defaults. */
  probeFacts: (extraPorts: number[]) => Promise<HostFacts>;
  onProgress?: (event: PullProgressEvent) => void;
  /**
   * Where this machine reaches a published port (default: the bind address, loopback for all
   * interfaces); a remote engine's client may tunnel. `close` ends what it opened.
   */
  reachPort?: (
    hostIp: string,
    port: number,
  ) => Promise<{ host: string; port: number; close(): void }>;
  /** Injected port check (tests); defaults to trying to listen on the port. */
  canListen?: PortListenCheck;
  /** Progress lines for humans (stderr). */
  log?: (line: string) => void;
  /** Makes the image present (registries, mirrors, progress); default: ensureImage per `pull`. */
  obtainImage?: (image: string) => Promise<ImageDetails>;
  /**
   * Steps once the environment answers (SSH keys, developer mode). On a container this call
   * created, a failure here removes it like any other failure after create.
   */
  afterReady?: (context: AfterReadyContext) => Promise<AfterReadyResult>;
}

export interface AfterReadyContext {
  engine: ContainerEngine;
  plan: Plan;
  facts: HostFacts;
  container: ContainerDetails;
  action: UpAction;
  log: (line: string) => void;
}

export interface AfterReadyResult {
  warnings?: string[];
  /** Merged into the result (e.g. ssh/editor readiness for --json). */
  report?: Record<string, unknown>;
}

export interface UpRequest {
  name?: string;
  /** The options, or a function of the host facts (e.g. to choose the image for this host). */
  options: EnvironmentOptions | ((facts: HostFacts) => EnvironmentOptions);
}

export type UpAction = "created" | "recreated" | "started" | "already-running";

export interface UpResult {
  action: UpAction;
  plan: Plan;
  facts: HostFacts;
  container: ContainerDetails;
  warnings: PlanWarning[];
  /** What afterReady reported. */
  report: Record<string, unknown>;
}

/**
 * Mount sources are paths on the engine's host: the facts say whether each exists there. Without
 * that answer, a local engine's host is this one; a remote one's daemon will say.
 */
async function assertMountSources(plan: Plan, facts: HostFacts): Promise<void> {
  const where = facts.remote ? `the engine's host ${facts.remote.host}` : "this host";
  for (const m of plan.mounts.filter((x) => x.purpose === "user")) {
    const known = facts.paths?.[m.source];
    const found =
      known ??
      (facts.remote
        ? true
        : await stat(m.source).then(
            () => true,
            () => false,
          ));
    if (!found) {
      throw new ModelboxDevError(
        "INVALID_MOUNT",
        `Mount source ${m.source} does not exist on ${where}.`,
        facts.remote
          ? `Mount sources are paths on the machine the engine runs on: create it there first ('ssh ${facts.remote.host} mkdir -p ${m.source}') or fix the path.`
          : `Create it first ('mkdir -p ${m.source}') or fix the path.`,
      );
    }
  }
}

/**
 * The last check before create: every host port of the plan can be bound right now. Facts may
 * be older than this moment, or may not have covered a port.
 */
async function assertPortsFree(plan: Plan, canListen: PortListenCheck): Promise<void> {
  for (const p of plan.ports) {
    if (!(await canListen(p.hostPort, p.hostIp || "0.0.0.0"))) {
      throw new ModelboxDevError(
        "PORT_IN_USE",
        `Host port ${p.hostPort} (${p.purpose}) is already in use.`,
        `Choose another port with --${p.purpose}-port, or stop what holds it ('ss -ltnp | grep :${p.hostPort}' shows it).`,
      );
    }
  }
}

/** Image facts recorded on the environment (R9): which image it really runs. */
function imageLabels(image: ImageDetails): Record<string, string> {
  const labels: Record<string, string> = { [LABELS.imageId]: image.id };
  const digest = image.repoDigests[0];
  if (digest) labels[LABELS.imageDigest] = digest;
  // ModelBox's CUDA images carry the label with this spelling.
  const cuda = image.labels["com.nvidia.cuda.verison"] ?? image.labels["com.nvidia.cuda.version"];
  if (cuda) labels[LABELS.cudaVersion] = cuda;
  const version = image.labels["org.opencontainers.image.version"];
  if (version) labels[LABELS.imageVersion] = version;
  return labels;
}

function translateStartError(err: unknown): unknown {
  if (!(err instanceof EngineCallError)) return err;
  const known = classifyDaemonError(err.message);
  if (known) return new ModelboxDevError(known.code, known.message, known.hint, { cause: err });
  return new ModelboxDevError(
    "START_FAILED",
    `The engine could not start the container: ${err.message}`,
    undefined,
    {
      cause: err,
    },
  );
}

async function waitUntilReady(
  engine: ContainerEngine,
  plan: Plan,
  id: string,
  settings: UpSettings,
): Promise<void> {
  const ctx = { engine, containerId: id, deadline: Date.now() + settings.timeoutSeconds * 1000 };
  for (const check of plan.readiness) {
    if (check.kind === "running") await waitForRunning(ctx);
    else {
      const port = plan.ports.find((p) => p.purpose === "ssh");
      settings.log?.(`Waiting for sshd on port ${check.port}…`);
      const hostIp = port?.hostIp ?? "";
      const at = settings.reachPort
        ? await settings.reachPort(hostIp, check.port)
        : { host: reachableAddress(hostIp), port: check.port, close: () => undefined };
      try {
        await waitForSshBanner(ctx, at.host, at.port);
      } finally {
        at.close();
      }
    }
  }
}

/**
 * A timeout or exit often has a known cause in the container's own log (systemd that cannot
 * create its cgroup, a CUDA requirement): say that instead of the bare symptom.
 */
function explainFailure(failure: unknown, logs: string[]): unknown {
  if (!(failure instanceof ModelboxDevError)) return failure;
  if (failure.code !== "READINESS_TIMEOUT" && failure.code !== "START_FAILED") return failure;
  const known = classifyDaemonError(logs.join("\n"));
  if (!known) return failure;
  const explained = new ModelboxDevError(known.code, known.message, known.hint, { cause: failure });
  explained.details.push(`(seen as: ${failure.message})`);
  return explained;
}

/** Runs `fn`; on failure removes the container (unless asked not to) and attaches its last logs. */
async function withRollback<T>(
  engine: ContainerEngine,
  id: string,
  settings: UpSettings,
  fn: () => Promise<T>,
  diagnose?: () => Promise<string[]>,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const logs = await lastLogLines(engine, id);
    const failure = explainFailure(translateStartError(err), logs);
    if (failure instanceof ModelboxDevError && failure.code === "READINESS_TIMEOUT" && diagnose) {
      failure.details.push(...(await diagnose()));
    }
    if (!settings.keepOnFailure)
      await engine.removeContainer(id, { force: true }).catch(() => undefined);
    if (failure instanceof ModelboxDevError) {
      failure.details.push(
        settings.keepOnFailure
          ? `The container ${id.slice(0, 12)} was kept (--keep-on-failure).`
          : "The container was removed.",
      );
      if (logs.length > 0)
        failure.details.push("Last container log lines:", ...logs.map((l) => `  ${l}`));
    }
    throw failure;
  }
}

/**
 * Creates (or reuses) the environment for these options: validate, plan, make sure the image is
 * there, create, start, wait until ready. Nothing is left behind when a step after create fails.
 */
export async function up(
  engine: ContainerEngine,
  request: UpRequest,
  settings: UpSettings,
): Promise<UpResult> {
  const name = request.name;
  if (name !== undefined) validateName(name);
  const existing = name ? await engine.inspectContainer(name) : undefined;
  if (existing && existing.name === name && !isManaged(existing)) {
    throw new ModelboxDevError(
      "NAME_TAKEN",
      `A container named ${JSON.stringify(name)} exists and was not created by modelbox-dev.`,
      "Pick another name, or remove that container yourself if it is no longer needed.",
    );
  }
  const ours = existing && existing.name === name ? existing : undefined;
  const previousPorts = ours ? portsFromSpec(ours.labels[LABELS.spec]) : {};
  const facts = await settings.probeFacts(Object.values(previousPorts).map((p) => p.hostPort));
  const options = typeof request.options === "function" ? request.options(facts) : request.options;
  const plan = planEnvironment({ ...options, ...(name ? { name } : {}) }, facts, {
    previousPorts,
  });
  await assertMountSources(plan, facts);

  const log = settings.log ?? (() => undefined);
  const finish = async (action: UpAction, container: ContainerDetails): Promise<UpResult> => {
    const warnings = [...plan.warnings];
    let report: Record<string, unknown> = {};
    if (settings.afterReady) {
      const after = await settings.afterReady({ engine, plan, facts, container, action, log });
      warnings.push(...(after.warnings ?? []).map((message) => ({ code: "ACCESS", message })));
      report = after.report ?? {};
    }
    return { action, plan, facts, container, warnings, report };
  };

  let action: UpAction = "created";
  if (ours) {
    // --recreate always replaces (e.g. to move to the image a tag now names); else same spec → reuse.
    if (ours.labels[LABELS.specHash] === plan.specHash && !settings.recreate) {
      plan.warnings.push(...(await imageDrift(engine, ours, plan.image)));
      if (ours.status === "running") {
        await waitUntilReady(engine, plan, ours.id, settings);
        return finish("already-running", ours);
      }
      log(`Starting the existing environment ${plan.name}…`);
      await engine.startContainer(ours.id).catch((err: unknown) => {
        throw translateStartError(err);
      });
      await waitUntilReady(engine, plan, ours.id, settings);
      return finish("started", (await engine.inspectContainer(ours.id)) ?? ours);
    }
    if (!settings.recreate) {
      const before = JSON.parse(ours.labels[LABELS.spec] ?? "{}") as Record<string, unknown>;
      throw new ModelboxDevError(
        "SPEC_CHANGED",
        `Environment ${plan.name} exists with different options.`,
        `Keep it as it is (run 'modelbox-dev up ${plan.name}' with its original options), or replace it with --recreate (the container is removed; /home and /opt/modelbox stay on the host).`,
        { details: diffSpecs(before, specOf(plan)).map((l) => `  ${l}`) },
      );
    }
    action = "recreated";
  }

  log(`Checking image ${plan.image}…`);
  const present = settings.pull === "always" ? undefined : await engine.inspectImage(plan.image);
  if (!present) plan.warnings.push(...preflightDisk(facts));
  const image =
    present ??
    (await (settings.obtainImage
      ? settings.obtainImage(plan.image)
      : ensureImage(engine, plan.image, settings.pull, settings.onProgress)));
  plan.warnings.push(...preflightImage(plan, image, facts));
  if (ours) {
    log(`Removing the old ${plan.name} (--recreate)…`);
    await engine.removeContainer(ours.id, { force: true });
  }

  // Binding here says nothing about a remote host: its ports were read by the probe, and its
  // engine reports a clash at create time.
  if (!facts.remote) await assertPortsFree(plan, settings.canListen ?? listenCheck);

  let id: string;
  try {
    id = await engine.createContainer(toContainerSpec(plan, imageLabels(image)));
  } catch (err) {
    if (err instanceof EngineCallError && err.statusCode === 409) {
      throw new ModelboxDevError(
        "NAME_TAKEN",
        `The name ${plan.name} was taken while creating the environment.`,
        "Another process created a container with this name; pick another name.",
      );
    }
    throw translateStartError(err);
  }
  const created = id;
  return withRollback(
    engine,
    id,
    settings,
    async () => {
      log(`Starting ${plan.name}…`);
      await engine.startContainer(created);
      await waitUntilReady(engine, plan, created, settings);
      const container = await engine.inspectContainer(created);
      if (!container)
        throw new ModelboxDevError("START_FAILED", "The container disappeared after start.");
      return finish(action, container);
    },
    () =>
      diagnoseUnreachablePort(
        engine,
        created,
        plan.ports.find((p) => p.purpose === "ssh"),
        facts.firewall,
      ),
  );
}
