import { doctor } from "../../environment/doctor.js";
import type { DoctorCheck } from "../../doctor/types.js";
import { runOperation } from "../client.js";
import { printJson, printLine } from "../output.js";

const MARK: Record<DoctorCheck["status"], string> = { pass: "pass", warn: "WARN", fail: "FAIL" };

/** Exit status 1 when a check fails, so scripts can gate on it; warnings keep 0. */
export async function run(flags: { json?: boolean; facts?: string }): Promise<number> {
  const result = await runOperation(flags.json, (context) =>
    doctor(flags.facts ? { facts: flags.facts } : {}, context),
  );
  const { checks, summary } = result;
  if (flags.json) {
    printJson({ ...result });
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
