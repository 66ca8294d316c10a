import { openInVsCode } from "../../environment/ide/open-in-vscode.js";
import { createEngine } from "../context.js";
import { logLine, printJson, printLine } from "../output.js";

export async function run(
  name: string,
  path: string | undefined,
  flags: { print?: boolean; json?: boolean },
): Promise<number> {
  const result = await openInVsCode(
    { name, ...(path !== undefined ? { path } : {}), print: flags.print ?? false },
    { engine: createEngine() },
  );
  if (flags.json) {
    printJson({ ...result });
    return 0;
  }
  for (const warning of result.warnings) logLine(`warning: ${warning}`);
  if (result.opened) {
    printLine(`Opened ${result.path} on ${result.host} in VS Code.`);
    return 0;
  }
  printLine(result.command.join(" "));
  printLine(result.url);
  return 0;
}
