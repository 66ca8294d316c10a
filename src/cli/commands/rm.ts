import { removeEnvironment } from "../../environment/lifecycle.js";
import { afterRemove } from "../access-hooks.js";
import { createEngine } from "../context.js";
import { printJson, printLine } from "../output.js";

export async function run(
  name: string,
  flags: { json?: boolean; force?: boolean },
): Promise<number> {
  const c = await removeEnvironment(createEngine(), name, { force: flags.force ?? false });
  await afterRemove(c);
  if (flags.json) printJson({ ok: true, name: c.name, id: c.id, removed: true });
  else
    printLine(
      `${c.name} removed (/home, /opt/modelbox and other mounted host directories are kept)`,
    );
  return 0;
}
