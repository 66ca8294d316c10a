import { doctor } from "../../environment/doctor.js";
import { runOperation } from "../client.js";
import { printJson, printLine } from "../output.js";
import { checkMark, colorsFor } from "../style.js";

/** Exit status 1 when a check fails, so scripts can gate on it; warnings keep 0. */
export async function run(flags: { json?: boolean; facts?: string }): Promise<number> {
  const result = await runOperation(flags.json, (context) =>
    doctor(flags.facts ? { facts: flags.facts } : {}, context),
  );
  const { checks, summary } = result;
  if (flags.json) {
    printJson({ ...result });
  } else {
    const colors = colorsFor();
    const width = Math.max(...checks.map((c) => c.title.length));
    for (const c of checks) {
      printLine(`${checkMark(colors, c.status)}  ${c.title.padEnd(width)}  ${c.found}`);
      if (c.fix) printLine(`      ${" ".repeat(width)}  → ${c.fix}`);
    }
    const warnings = `${summary.warn} warnings`;
    const failed = `${summary.fail} failed`;
    printLine(
      `\n${colors.green(`${summary.pass} passed`)}, ${summary.warn ? colors.yellow(warnings) : warnings}, ${summary.fail ? colors.red(failed) : failed}`,
    );
  }
  return summary.fail > 0 ? 1 : 0;
}
