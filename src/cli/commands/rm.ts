import { rm } from "../../environment/rm.js";
import { runOperation } from "../client.js";
import { leftovers } from "../leftovers.js";
import { printJson, printLine } from "../output.js";

export async function run(
  name: string,
  flags: { json?: boolean; force?: boolean; volumes?: boolean },
): Promise<number> {
  const result = await runOperation(flags.json, (context) =>
    rm({ name, force: flags.force ?? false, volumes: flags.volumes ?? false }, context),
  );
  if (flags.json) {
    printJson({ ...result });
    return 0;
  }
  if (result.removed) {
    printLine(
      `${result.name} removed (/home, /opt/modelbox and other mounted host directories are kept)`,
    );
  } else {
    if (result.note) printLine(result.note);
    const what = leftovers(result.forgotten);
    if (what) printLine(`${result.name} had no container; removed its ${what}`);
  }
  for (const volume of result.volumes.kept) {
    printLine(
      `  kept volume ${volume} (its /root): 'modelbox-dev up ${result.name}' uses it again; 'modelbox-dev rm --volumes' or 'docker volume rm ${volume}' removes it`,
    );
  }
  for (const volume of result.volumes.removed) printLine(`  removed volume ${volume}`);
  return 0;
}
