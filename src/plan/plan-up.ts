import { withReleaseTag } from "../catalog/image-argument.js";
import { normalizeImageReference, parseImageReference } from "../catalog/image-reference.js";
import { modelboxRepositoryName } from "../catalog/hub-name.js";
import { PUBLISHED_IMAGES } from "../catalog/published-images.js";
import type { PullPolicy } from "../engine/types.js";
import { ModelboxDevError } from "../errors.js";
import type { HostFacts } from "../host/facts.js";
import { DEFAULT_TIMEOUT_SECONDS } from "./defaults.js";
import { CPU_ONLY_WARNING } from "./image/assess-image.js";
import { type AcceleratorPreference, chooseImage } from "./image/choose-image.js";
import type { EnvironmentOptions, UpOptions } from "./options.js";
import { type PlanContext, planEnvironment } from "./plan-environment.js";
import { recordOptions } from "./recorded-options.js";
import type { DebugMode, Plan, PlanAccess, PlanExecution } from "./types.js";
import { type EnvLookup, mergedUserEnv, resolveUserEnv, type UserEnvValues } from "./user-env.js";
import { parsePort, parseTimeoutSeconds } from "./validate.js";

export interface UpPlanContext extends PlanContext {
  /**
   * The user's variables, read from `env` and `envFile` (files are read by the caller). Without
   * it, `env` alone is read here, `NAME` taking its value from `lookupEnv`.
   */
  userEnv?: { values: UserEnvValues; files: string[] };
  lookupEnv?: EnvLookup;
  /** The registries to pull from, as the user writes them (flags, else the config file). */
  registries?: string[];
  /** Version of this tool, recorded in labels. */
  toolVersion?: string;
  /** Who makes the environment (its owner label). */
  owner?: string;
  /** Unix seconds for the default name (injected so plans are reproducible). */
  now?: number;
}

/** A value that must be one of `choices` (the CLI checks them too; a web client may not). */
function oneOf<T extends string>(
  value: string | undefined,
  flag: string,
  choices: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new ModelboxDevError(
    "INVALID_OPTION",
    `${flag} ${JSON.stringify(value)} is not one of ${choices.join(", ")}.`,
    `Give one of: ${choices.join(", ")}.`,
  );
}

interface ImageDecision {
  image: string;
  reason?: string;
  warnings: string[];
}

/** The image: as given, or the published one that fits the host; `--version` sets its tag. */
function decideImage(options: UpOptions, facts: HostFacts): ImageDecision {
  let decision: ImageDecision = { image: options.image ?? "", warnings: [] };
  if (!options.image) {
    const choice = chooseImage(PUBLISHED_IMAGES, facts, {
      ...(options.engine ? { engine: options.engine } : {}),
      ...(options.accel ? { accel: options.accel as AcceleratorPreference } : {}),
      ...(options.os ? { os: options.os } : {}),
      ...(options.kind ? { kind: options.kind } : {}),
    });
    decision = {
      image: `${choice.entry.repository}:${choice.entry.defaultTag}`,
      reason: choice.reason,
      // The plan itself warns when no accelerator will be used; say it once.
      warnings: choice.warnings.filter((w) => w !== CPU_ONLY_WARNING),
    };
  }
  if (options.version !== undefined) {
    decision.image = withReleaseTag(decision.image, options.version, !options.image);
  }
  return decision;
}

/**
 * Registries and mirrors stand in for Docker Hub's `modelbox/NAME:TAG` only (as the registry
 * layer's pull candidates say); any other image, or one pinned by digest, is pulled as written,
 * so the plan must not say it comes from them.
 */
function registriesFor(image: string, registries: string[]): string[] {
  const reference = parseImageReference(image);
  const mirrored = modelboxRepositoryName(reference) !== undefined && !reference.digest;
  return mirrored ? registries : [];
}

function executionOf(options: UpOptions, registries: string[]): PlanExecution {
  const pull = oneOf<PullPolicy>(options.pull, "--pull", ["missing", "always", "never"]);
  return {
    pull: pull ?? "missing",
    registries,
    timeoutSeconds:
      options.timeout === undefined
        ? DEFAULT_TIMEOUT_SECONDS
        : parseTimeoutSeconds(String(options.timeout)),
    keepOnFailure: options.keepOnFailure ?? false,
    recreate: options.recreate ?? false,
  };
}

function accessOf(options: UpOptions): PlanAccess {
  const editorAllow = options.editorAllow ?? [];
  if (options.developMode === false && editorAllow.length > 0) {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      "--editor-allow has no effect with --no-develop-mode.",
      "Drop one of them; 'modelbox-dev develop NAME --editor-allow CIDR' can turn developer mode on later.",
    );
  }
  return {
    ...(options.sshKey ? { sshKey: options.sshKey } : {}),
    setPassword: options.password !== undefined || options.passwordStdin === true,
    sshConfig: options.sshConfig ?? true,
    developerMode: options.developMode ?? true,
    editorAllow,
    ...(options.hostAddress ? { hostAddress: options.hostAddress } : {}),
  };
}

/** A runtime image has no sshd and no editor: options for them are mistakes, said before create. */
function assertAccessFitsKind(plan: Plan, access: PlanAccess): void {
  if (plan.imageKind !== "runtime") return;
  if (access.sshKey || access.setPassword) {
    throw new ModelboxDevError(
      "NO_SSHD",
      "Runtime images have no sshd, so --ssh-key and --password-stdin cannot be used.",
      "Use a develop image (--kind develop) to log in over SSH.",
    );
  }
  if (access.editorAllow.length > 0) {
    throw new ModelboxDevError(
      "NO_EDITOR",
      "Runtime images have no editor, so --editor-allow cannot be used.",
      "Use a develop image (--kind develop) for the editor.",
    );
  }
}

/** The user's variables: as the caller read them, or `env` read here (no files). */
function userEnvOf(options: UpOptions, context: UpPlanContext) {
  if (context.userEnv) return context.userEnv;
  if (options.envFile?.length) {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      "--env-file is read by the caller: pass the files' text as the plan context's userEnv.",
      "Call up, plan or script, which read the files, instead of planUp.",
    );
  }
  if (!options.env?.length) return undefined;
  return {
    values: resolveUserEnv({ env: options.env }, context.lookupEnv ?? (() => undefined)),
    files: [],
  };
}

/** The options `planEnvironment` takes that `up`'s options give as they are. */
function containerOptions(options: UpOptions): Partial<EnvironmentOptions> {
  return {
    ...(options.npu ? { npu: options.npu } : {}),
    mounts: options.mount ?? [],
    defaultMounts: options.defaultMounts ?? true,
    ...(options.sshPort !== undefined ? { sshPort: options.sshPort } : {}),
    ...(options.editorPort !== undefined ? { editorPort: options.editorPort } : {}),
    ...(options.httpPort !== undefined ? { httpPort: options.httpPort } : {}),
    ...(options.bind !== undefined ? { bind: options.bind } : {}),
    publish: options.publish ?? [],
    ...(options.cpus !== undefined ? { cpus: options.cpus } : {}),
    ...(options.memory !== undefined ? { memory: options.memory } : {}),
    ...(options.shmSize !== undefined ? { shmSize: options.shmSize } : {}),
    ulimits: options.ulimit ?? [],
    ...(options.homeVolume === false ? { homeVolume: false } : {}),
    ...(options.restart !== undefined ? { restart: options.restart } : {}),
  };
}

/**
 * The whole of `up` decided for these options on a host with these facts: the image (chosen here
 * when not given), the container, and every step before and after start. Pure; the plan is frozen.
 */
export function planUp(options: UpOptions, facts: HostFacts, context: UpPlanContext = {}): Plan {
  for (const [flag, value] of [
    ["--ssh-port", options.sshPort],
    ["--editor-port", options.editorPort],
    ["--http-port", options.httpPort],
  ] as const) {
    if (value !== undefined) parsePort(value, flag);
  }
  const kind = oneOf(options.kind, "--kind", ["develop", "runtime"] as const);
  const debug = oneOf<DebugMode>(options.debug, "--debug", ["none", "ptrace", "privileged"]);
  oneOf(options.accel, "--accel", ["auto", "cuda", "ascend", "cpu"]);
  const image = decideImage(options, facts);
  const execution = executionOf(options, registriesFor(image.image, context.registries ?? []));
  const access = accessOf(options);
  const gpus =
    options.accel === "cpu" && (options.gpus ?? "auto") === "auto" ? "none" : options.gpus;
  const userEnv = userEnvOf(options, context);
  const environment: EnvironmentOptions = {
    ...(options.name !== undefined ? { name: options.name } : {}),
    image: image.image,
    ...(gpus ? { gpus } : {}),
    ...(debug ? { debug } : {}),
    ...containerOptions(options),
    ...(userEnv ? { userEnv } : {}),
    recordedOptions: recordOptions(options, {
      image: normalizeImageReference(image.image),
      ...(gpus ? { gpus } : {}),
      envNames: userEnv ? Object.keys(mergedUserEnv(userEnv.values)) : [],
    }),
    ...(kind ? { kind } : {}),
    ...(context.now !== undefined ? { now: context.now } : {}),
    ...(context.toolVersion ? { toolVersion: context.toolVersion } : {}),
    ...(context.owner ? { owner: context.owner } : {}),
    ...(image.reason ? { imageReason: image.reason } : {}),
    imageWarnings: image.warnings,
    access,
    execution,
  };
  const plan = planEnvironment(environment, facts, context);
  assertAccessFitsKind(plan, access);
  return deepFreeze(plan);
}

/** Nothing edits a plan once made: a client that tries gets a TypeError in strict mode. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
