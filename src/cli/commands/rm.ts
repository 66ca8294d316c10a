import { rm } from "../../environment/rm.js";
import { runOperation } from "../client.js";
import { printJson, printLine } from "../output.js";

export async function run(
  name: string,
  flags: { json?: boolean; force?: boolean },
): Promise<number> {
  const result = await runOperation(flags.json, (context) =>
    rm({ name, force: flags.force ?? false }, context),
  );
  if (flags.json) printJson({ ...result });
  else
    printLine(
      `${result.name} removed (/home, /opt/modelbox and other mounted host directories are kept)`,
    );
  return 0;
}
