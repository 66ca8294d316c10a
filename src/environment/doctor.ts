/** `doctor`: this host's facts, checked: engine, cgroup, disk, GPUs, NPUs, ports, firewall. */
import { runDoctor, summarize } from "../doctor/run-doctor.js";
import { candidatePorts, probeHost } from "../host/probe-host.js";
import { DEFAULT_PORTS } from "../plan/options.js";
import { readFactsFile } from "./load-facts.js";
import { type OperationContext, resolveContext } from "./operation.js";
import type { DoctorOptions, DoctorResult } from "./types.js";

export async function doctor(
  options: DoctorOptions = {},
  context?: OperationContext,
): Promise<DoctorResult> {
  const { engine } = resolveContext(context);
  const facts = options.facts
    ? await readFactsFile(options.facts)
    : await probeHost(engine, {
        ports: candidatePorts([DEFAULT_PORTS.ssh, DEFAULT_PORTS.editor, DEFAULT_PORTS.http], 1),
      });
  const checks = runDoctor(facts);
  return { ok: true, summary: summarize(checks), checks, facts };
}
