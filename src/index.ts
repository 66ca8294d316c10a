/**
 * modelbox-dev as a library. The operations are the product: `up(options)` gets exactly what
 * `modelbox-dev up` gets (the CLI is one client of these functions, a web server another).
 *
 * Every operation takes its options (the CLI's flags in camelCase: the positional name as
 * `name`, `--no-x` as `x: false`) and an optional context: `{ engine, signal, onEvent }`. Without
 * an engine it uses the one the docker CLI would (DOCKER_HOST, DOCKER_CONTEXT, the current context,
 * else the local socket or Podman's). Progress comes out
 * as events (steps, pull progress, log lines, warnings); aborting the signal stops it
 * (INTERRUPTED). The result is the object `--json` prints; failures throw ModelboxDevError.
 */
export { ModelboxDevError, isModelboxDevError, type ErrorCode } from "./errors.js";
export { LABELS } from "./labels.js";

// The operations.
export type {
  ForwardEvent,
  LogEvent,
  OperationContext,
  OperationEvent,
  OutputEvent,
  PullEvent,
  StepEvent,
  StepStatus,
  TransferEvent,
  ImageArchiveEvent,
  WarningEvent,
} from "./environment/operation.js";
export type * from "./environment/types.js";
/** Create (or reuse) an environment and return once it is usable: `modelbox-dev up`. */
export { up } from "./environment/up.js";
/** What `up` would do, every step included, without doing it; and the one-click script. */
export { plan, script } from "./environment/plan.js";
/** List environments: `modelbox-dev ls`. */
export { ls } from "./environment/ls.js";
/** Environments on every configured Docker context's engine: `modelbox-dev ls --all-contexts`. */
export { lsAllContexts } from "./environment/list-on-hosts.js";
/** One environment's state and whether ssh, the editor and HTTP answer: `modelbox-dev status`. */
export { status } from "./environment/status.js";
/** Start a stopped environment; developer mode comes back: `modelbox-dev start`. */
export { start } from "./environment/start.js";
/** Stop an environment: `modelbox-dev stop`. */
export { stop } from "./environment/stop.js";
/** Remove an environment with its key and ssh config entry: `modelbox-dev rm`. */
export { rm } from "./environment/rm.js";
/** The container's log, or its new lines as `output` events: `modelbox-dev logs`. */
export { logs } from "./environment/logs.js";
/** Run a command in an environment: `modelbox-dev exec`. */
export { exec } from "./environment/exec.js";
/** ModelBox developer mode on, its status, or off: `modelbox-dev develop`. */
export { develop } from "./environment/develop.js";
/** Set root's password: `modelbox-dev passwd`. */
export { passwd } from "./environment/passwd.js";
/** Pull an image from the registries or mirrors in order: `modelbox-dev pull`. */
export { pull } from "./environment/pull.js";
/** Environments' changes, one's CPU and memory, and a shell with a terminal in one (dashboard). */
export {
  watch,
  stats,
  terminal,
  type StreamContext,
  type TerminalOptions,
} from "./environment/observe.js";
/** Copy files between the host and an environment with docker cp's path rules: `modelbox-dev cp`. */
export { copy, type CopyOptions, type CopyResult } from "./environment/copy/copy-files.js";
/** Forward a local port to one in an environment over SSH: `modelbox-dev forward`. */
export { forward, type ForwardOptions, type ForwardResult } from "./environment/forward/forward.js";
/** Open an environment's folder in VS Code over Remote - SSH: `modelbox-dev code`. */
export {
  openInVsCode,
  type OpenInVsCodeOptions,
  type OpenInVsCodeResult,
} from "./environment/ide/open-in-vscode.js";
/** The ssh client and arguments that log in to an environment: `modelbox-dev ssh`. */
export { sshLogin, type SshLogin, type SshLoginOptions } from "./environment/ssh-login.js";
/** The host checks with their fixes: `modelbox-dev doctor`. */
export { doctor, type DoctorOptions, type DoctorResult } from "./environment/doctor.js";
/** The published images, which are present, which fit this host: `modelbox-dev images`. */
export {
  images,
  type ImageListing,
  type ImagesOptions,
  type ImagesResult,
} from "./environment/images.js";
/** The tags a registry has for an image: `modelbox-dev images --tags`. */
export {
  imageTags,
  type ImageTagsOptions,
  type ImageTagsResult,
} from "./environment/image-tags.js";
/** Which environments run an image older than their tag names now: `modelbox-dev outdated`. */
export {
  outdated,
  type OutdatedEnvironment,
  type OutdatedOptions,
  type OutdatedResult,
} from "./environment/outdated.js";
/** Images to and from a tar file: `modelbox-dev image save` / `image load`. */
export {
  imageLoad,
  imageSave,
  type ImageLoadOptions,
  type ImageLoadResult,
  type ImageSaveOptions,
  type ImageSaveResult,
} from "./environment/image-archive.js";
/**
 * Pull a new image and make the environment again from its recorded options, keeping /root
 * (its volume), ports, key login, password and developer mode: `modelbox-dev upgrade`.
 */
export { upgrade } from "./environment/upgrade.js";

// The parts, for programs that plan or probe on their own.
export * from "./catalog/index.js";
export * from "./plan/image/index.js";
export { hostFactsSchema, type HostFacts, type HostFactsInput } from "./host/facts.js";
export { probeHost, candidatePorts, type ProbeHostOptions } from "./host/probe-host.js";
export { systemRunner, type CommandRunner, type CommandResult } from "./host/runner.js";
export type { EnvironmentOptions } from "./plan/options.js";
export { DEFAULT_PORTS } from "./plan/options.js";
export { planEnvironment, type PlanContext } from "./plan/plan-environment.js";
export { planUp, type UpPlanContext } from "./plan/plan-up.js";
export {
  renderShellScript,
  type ScriptOptions as ShellScriptOptions,
} from "./plan/render-shell-script.js";
export { renderKubernetesManifests } from "./plan/kubernetes/render-kubernetes.js";
export { planForCluster } from "./plan/kubernetes/plan-for-cluster.js";
export type { ClusterRequest } from "./plan/kubernetes/node-facts.js";
export {
  parseKubernetesFlags,
  type KubernetesOptions,
  type NodeCgroup,
} from "./plan/kubernetes/options.js";
export { editorServiceUnit, EDITOR_SERVICE_NAME } from "./plan/editor-service-unit.js";
export type * from "./plan/types.js";
export type * from "./engine/types.js";
export { EngineCallError } from "./engine/types.js";
export { DockerEngine } from "./engine/docker/docker-engine.js";
export { createEngine, enginesForAllContexts } from "./engine/create-engine.js";
export type { EngineFlags } from "./engine/select/resolve-engine.js";
export { engineTarget, type EngineTarget } from "./engine/select/choose-engine.js";
export { probeEngineHost } from "./host/open-host-access.js";
export { listTags, lookupTags } from "./registry/index.js";
export { obtainImage } from "./registry/obtain-image.js";
export { runDoctor, summarize as summarizeDoctor } from "./doctor/run-doctor.js";
export type { DoctorCheck } from "./doctor/types.js";
