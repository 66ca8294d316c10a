import { planEnvironment } from "../../plan/plan-environment.js";
import { createEngine } from "../context.js";
import { printJson, printLine } from "../output.js";
import { loadFacts, toEnvironmentOptions, type UpFlags } from "../up-options.js";
import { formatPlan } from "../format-plan.js";

export async function run(name: string | undefined, flags: UpFlags): Promise<number> {
  const facts = await loadFacts(createEngine(), flags);
  const resolved = toEnvironmentOptions(name, flags, facts);
  const plan = planEnvironment(resolved.options, facts);
  if (flags.json) {
    printJson({
      ok: true,
      plan,
      ...(resolved.imageReason ? { imageReason: resolved.imageReason } : {}),
      facts,
    });
    return 0;
  }
  printLine(formatPlan(plan, resolved.imageReason, resolved.imageWarnings));
  return 0;
}
