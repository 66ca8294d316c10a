import { upgrade } from "../../environment/upgrade.js";
import { runOperation } from "../client.js";
import { printJson, printLine } from "../output.js";
import { accessLines } from "../render-up.js";
import { imageLine, settingsLines } from "../render-settings.js";

interface UpgradeFlags {
  image?: string;
  version?: string;
  pull?: string;
  registry?: string[];
  timeout?: string;
  force?: boolean;
  keepOnFailure?: boolean;
  json?: boolean;
}

/** `upgrade NAME`: the new image, the environment made again, what was kept. */
export async function run(name: string, flags: UpgradeFlags): Promise<number> {
  const { json, ...options } = flags;
  const result = await runOperation(json, (context) => upgrade({ name, ...options }, context));
  if (json) {
    printJson({ ...result });
    return 0;
  }
  printLine(
    result.upgraded
      ? `${result.name} is upgraded (${result.environment?.id.slice(0, 12) ?? ""})`
      : `${result.name} already runs this image; nothing was changed`,
  );
  for (const line of imageLine("from", result.from)) printLine(line);
  for (const line of imageLine("to", result.to)) printLine(line);
  if (result.environment) {
    for (const line of settingsLines(result.environment.settings)) printLine(line);
    for (const line of accessLines(result.environment)) printLine(line);
    for (const note of result.environment.notes) printLine(`note: ${note}`);
    for (const w of result.environment.warnings) printLine(`warning: ${w}`);
  }
  for (const w of result.warnings) printLine(`warning: ${w}`);
  return 0;
}
