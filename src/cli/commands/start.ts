import { getEnvironment } from "../../environment/find.js";
import { startEnvironment } from "../../environment/lifecycle.js";
import { afterStart } from "../access-hooks.js";
import { createEngine } from "../context.js";
import { printJson, printLine } from "../output.js";
import { parseTimeoutSeconds } from "../parse-timeout.js";

export async function run(
  name: string,
  flags: { json?: boolean; timeout?: string },
): Promise<number> {
  parseTimeoutSeconds(flags.timeout ?? "120"); // bad input stops here, before anything changes
  const engine = createEngine();
  const wasRunning = (await getEnvironment(engine, name)).status === "running";
  const c = await startEnvironment(engine, name);
  // Developer mode is not a systemd unit in the images: bring it back after a start (only a
  // real one: a running environment's server may have been stopped on purpose).
  const report = wasRunning ? {} : await afterStart(engine, c, flags);
  const { summaryLines, ...rest } = report as { summaryLines?: string[] };
  if (flags.json) printJson({ ok: true, name: c.name, id: c.id, state: c.status, ...rest });
  else {
    printLine(`${c.name} is ${c.status}`);
    for (const line of summaryLines ?? []) printLine(line);
  }
  return 0;
}
