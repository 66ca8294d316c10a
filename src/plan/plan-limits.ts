import type { HostFacts } from "../host/facts.js";
import { type ResourceLimits, parseResourceLimits } from "./resources.js";
import { planShm } from "./shm-size.js";
import type { PlannedShm, PlannedUlimit, PlanWarning } from "./types.js";
import { parseUlimits } from "./ulimits.js";

/** What the environment may use: CPUs, memory, /dev/shm, and the process limits. */
export interface LimitsDecision {
  resources?: ResourceLimits;
  shm: PlannedShm;
  ulimits: PlannedUlimit[];
  warnings: PlanWarning[];
}

export function planLimits(
  options: {
    cpus?: string | number;
    memory?: string | number;
    shmSize?: string | number;
    ulimits?: readonly string[];
  },
  facts: HostFacts,
): LimitsDecision {
  const resources = parseResourceLimits(options.cpus, options.memory);
  const { shm, warnings } = planShm(
    options.shmSize,
    resources.memoryBytes,
    facts.engine.memoryBytes,
  );
  return {
    ...(Object.keys(resources).length > 0 ? { resources } : {}),
    shm,
    ulimits: parseUlimits(options.ulimits ?? []),
    warnings,
  };
}
