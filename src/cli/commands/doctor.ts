import { runDoctor, summarize } from "../../doctor/run-doctor.js";
import type { DoctorCheck } from "../../doctor/types.js";
import { probeEngineHost } from "../../host/open-host-access.js";
import { candidatePorts } from "../../host/probe-host.js";
import { DEFAULT_PORTS } from "../../plan/options.js";
import { createEngine } from "../context.js";
import { printJson, printLine } from "../output.js";
import { withInterrupt } from "../registry-hooks.js";
import { readFactsFile } from "../up-options.js";

const MARK: Record<DoctorCheck["status"], string> = { pass: "pass", warn: "WARN", fail: "FAIL" };

/** Exit status 1 when a check fails, so scripts can gate on it; warnings keep 0. */
export async function run(flags: { json?: boolean; facts?: string }): Promise<number> {
  const facts = flags.facts
    ? await readFactsFile(flags.facts)
    : await withInterrupt((signal) =>
        probeEngineHost(
          createEngine(),
          {
            ports: candidatePorts([DEFAULT_PORTS.ssh, DEFAULT_PORTS.editor, DEFAULT_PORTS.http], 1),
          },
          { signal },
        ),
      );
  const checks = runDoctor(facts);
  const summary = summarize(checks);
  if (flags.json) {
    printJson({ ok: true, summary, checks, facts });
  } else {
    const width = Math.max(...checks.map((c) => c.title.length));
    for (const c of checks) {
      printLine(`${MARK[c.status]}  ${c.title.padEnd(width)}  ${c.found}`);
      if (c.fix) printLine(`      ${" ".repeat(width)}  → ${c.fix}`);
    }
    printLine(`\n${summary.pass} passed, ${summary.warn} warnings, ${summary.fail} failed`);
  }
  return summary.fail > 0 ? 1 : 0;
}
