import { openInVsCode } from "../../environment/ide/open-in-vscode.js";
import { runOperation } from "../client.js";
import { logLine, printJson, printLine } from "../output.js";

export async function run(
  name: string,
  path: string | undefined,
  flags: { print?: boolean; json?: boolean },
): Promise<number> {
  const result = await runOperation(flags.json, (context) =>
    openInVsCode(
      { name, ...(path !== undefined ? { path } : {}), print: flags.print ?? false },
      context,
    ),
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
