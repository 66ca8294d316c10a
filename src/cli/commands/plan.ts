import { plan } from "../../environment/plan.js";
import { runOperation } from "../client.js";
import { formatPlan } from "../format-plan.js";
import { printJson, printLine } from "../output.js";
import { type UpFlags, upOptionsFrom } from "../up-flags.js";

export async function run(name: string | undefined, flags: UpFlags): Promise<number> {
  const options = upOptionsFrom(name, flags, "plan");
  const result = await runOperation(flags.json, (context) => plan(options, context));
  if (flags.json) printJson({ ...result });
  else printLine(formatPlan(result.plan));
  return 0;
}
