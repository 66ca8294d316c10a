import { planEnvironment } from "../../plan/plan-environment.js";
import { renderShellScript } from "../../plan/render-shell-script.js";
import { createEngine } from "../context.js";
import { toolVersion } from "../tool-version.js";
import { loadFacts, toEnvironmentOptions, type UpFlags } from "../up-options.js";

export async function run(
  name: string | undefined,
  flags: UpFlags & { explain?: boolean },
): Promise<number> {
  const facts = await loadFacts(createEngine(), flags);
  const resolved = toEnvironmentOptions(name, flags, facts);
  const plan = planEnvironment(resolved.options, facts);
  process.stdout.write(
    renderShellScript(plan, { explain: flags.explain ?? false, toolVersion: toolVersion() }),
  );
  return 0;
}
