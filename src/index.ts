/**
 * modelbox-dev as a library: plan an environment for a host, render it as a script, apply it to
 * an engine, and manage what exists. The CLI is one client of this.
 */
export { ModelboxDevError, isModelboxDevError, type ErrorCode } from "./errors.js";
export { LABELS } from "./labels.js";

export * from "./catalog/index.js";
export * from "./plan/image/index.js";

export { hostFactsSchema, type HostFacts, type HostFactsInput } from "./host/facts.js";
export { probeHost, candidatePorts, type ProbeHostOptions } from "./host/probe-host.js";
export { systemRunner, type CommandRunner, type CommandResult } from "./host/runner.js";

export type { EnvironmentOptions } from "./plan/options.js";
export { DEFAULT_PORTS } from "./plan/options.js";
export { planEnvironment, type PlanContext } from "./plan/plan-environment.js";
export { renderShellScript, type ScriptOptions } from "./plan/render-shell-script.js";
export type * from "./plan/types.js";

export type * from "./engine/types.js";
export { DockerEngine } from "./engine/docker/docker-engine.js";

export {
  up,
  type UpSettings,
  type UpResult,
  type UpRequest,
  type UpAction,
} from "./environment/up.js";
export { listEnvironments, getEnvironment } from "./environment/find.js";
export {
  startEnvironment,
  stopEnvironment,
  removeEnvironment,
  execInEnvironment,
} from "./environment/lifecycle.js";

export { ensureImage, obtainImage } from "./registry/obtain-image.js";
export { listTags, lookupTags } from "./registry/index.js";
export { setUpAccess } from "./access/set-up-access.js";
export { setRootPassword } from "./access/root-password.js";
export { runDoctor, summarize as summarizeDoctor } from "./doctor/run-doctor.js";
export type { DoctorCheck } from "./doctor/types.js";
