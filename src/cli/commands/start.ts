import { start } from "../../environment/start.js";
import { runOperation } from "../client.js";
import { printJson, printLine } from "../output.js";

export async function run(
  name: string,
  flags: { json?: boolean; timeout?: string },
): Promise<number> {
  const result = await runOperation(flags.json, (context) =>
    start({ name, ...(flags.timeout !== undefined ? { timeout: flags.timeout } : {}) }, context),
  );
  if (flags.json) {
    printJson({ ...result });
    return 0;
  }
  printLine(`${result.name} is ${result.state}`);
  if (result.editor?.ready) printLine(`  editor  ${result.editor.url} (developer mode is back on)`);
  for (const w of result.warnings ?? []) printLine(`warning: ${w}`);
  return 0;
}
