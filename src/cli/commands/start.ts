import { startEnvironment } from "../../environment/lifecycle.js";
import { createEngine } from "../context.js";
import { printJson, printLine } from "../output.js";

export async function run(name: string, flags: { json?: boolean }): Promise<number> {
  const c = await startEnvironment(createEngine(), name);
  if (flags.json) printJson({ ok: true, name: c.name, id: c.id, state: c.status });
  else printLine(`${c.name} is ${c.status}`);
  return 0;
}
