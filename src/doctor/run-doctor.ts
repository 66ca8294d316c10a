import type { HostFacts } from "../host/facts.js";
import { checkAscend } from "./check-ascend.js";
import { checkEngine } from "./check-engine.js";
import { checkFirewall, checkPorts } from "./check-network.js";
import { checkNvidia } from "./check-nvidia.js";
import { checkSharing } from "./check-sharing.js";
import { checkRemote } from "./check-remote.js";
import type { DoctorCheck } from "./types.js";

/** Every doctor rule over one set of facts: pure, so a facts file reproduces a user's report. */
export function runDoctor(facts: HostFacts): DoctorCheck[] {
  return [
    ...checkRemote(facts),
    ...checkEngine(facts),
    // Unknown is not absent: with no probe on a remote host, accelerators and ports are unchecked.
    ...(facts.remote?.probe === "none"
      ? []
      : [
          ...checkNvidia(facts),
          ...checkAscend(facts),
          ...checkSharing(facts),
          ...checkPorts(facts),
        ]),
    ...checkFirewall(facts),
  ];
}

export function summarize(checks: DoctorCheck[]): { pass: number; warn: number; fail: number } {
  return {
    pass: checks.filter((c) => c.status === "pass").length,
    warn: checks.filter((c) => c.status === "warn").length,
    fail: checks.filter((c) => c.status === "fail").length,
  };
}
