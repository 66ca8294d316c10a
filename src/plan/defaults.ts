import type { PlanAccess, PlanExecution } from "./types.js";

/** Seconds each wait of `up` may take unless `--timeout` says otherwise. */
export const DEFAULT_TIMEOUT_SECONDS = 120;

/** How `up` runs without options: pull when missing, from the default registry. */
export const DEFAULT_EXECUTION: PlanExecution = {
  pull: "missing",
  registries: [],
  timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
  keepOnFailure: false,
  recreate: false,
};

/** Every access step, with a key generated for the environment. */
export function defaultAccess(): PlanAccess {
  return { setPassword: false, sshConfig: true, developerMode: true, editorAllow: [] };
}
