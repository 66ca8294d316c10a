import { script } from "../../environment/plan.js";
import type { ScriptOptions } from "../../environment/types.js";
import type { KubernetesFlags } from "../../plan/kubernetes/options.js";
import { runOperation } from "../client.js";
import { printJson } from "../output.js";
import { type UpFlags, upOptionsFrom } from "../up-flags.js";

export async function run(
  name: string | undefined,
  flags: UpFlags & KubernetesFlags & { explain?: boolean; target?: ScriptOptions["target"] },
): Promise<number> {
  const options: ScriptOptions = {
    ...upOptionsFrom(name, flags, "script"),
    explain: flags.explain ?? false,
  };
  const text = await runOperation(flags.json, (context) => script(options, context));
  if (flags.json) printJson({ ok: true, script: text });
  else process.stdout.write(text);
  return 0;
}
