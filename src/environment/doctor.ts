import { runDoctor, summarize } from "../doctor/run-doctor.js";
import type { DoctorCheck } from "../doctor/types.js";
import type { HostFacts, HostFactsInput } from "../host/facts.js";
import { probeEngineHost } from "../host/open-host-access.js";
import { candidatePorts } from "../host/probe-host.js";
import { DEFAULT_PORTS } from "../plan/options.js";
import { readFactsFile } from "./load-facts.js";
import { type OperationContext, resolveContext } from "./operation.js";

export interface DoctorOptions {
  /** Host facts from a JSON file (`--facts FILE`) or given; default: probed. */
  facts?: string | HostFactsInput;
}

export interface DoctorResult {
  ok: true;
  summary: { pass: number; warn: number; fail: number };
  checks: DoctorCheck[];
  facts: HostFacts;
}

/** `doctor`: every host check with its fix (the CLI exits 1 when one fails). */
export async function doctor(
  options: DoctorOptions = {},
  context?: OperationContext,
): Promise<DoctorResult> {
  let facts: HostFacts;
  if (typeof options.facts === "string") facts = await readFactsFile(options.facts);
  else if (options.facts !== undefined) {
    const { hostFactsSchema } = await import("../host/facts.js");
    facts = hostFactsSchema.parse(options.facts);
  } else {
    // The engine's host: here, or a remote one through a short-lived probe container.
    const { engine, signal } = resolveContext(context);
    facts = await probeEngineHost(
      engine,
      { ports: candidatePorts([DEFAULT_PORTS.ssh, DEFAULT_PORTS.editor, DEFAULT_PORTS.http], 1) },
      signal ? { signal } : {},
    );
  }
  const checks = runDoctor(facts);
  return { ok: true, summary: summarize(checks), checks, facts };
}
