import { stop } from "../../environment/stop.js";
import { runOperation } from "../client.js";
import { printJson, printLine } from "../output.js";

export async function run(name: string, flags: { json?: boolean }): Promise<number> {
  const result = await runOperation(flags.json, (context) => stop({ name }, context));
  if (flags.json) printJson({ ...result });
  else printLine(`${result.name} is ${result.state}`);
  return 0;
}
