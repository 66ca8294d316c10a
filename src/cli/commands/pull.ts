import { pull } from "../../environment/pull.js";
import { runOperation } from "../client.js";
import { printJson, printLine } from "../output.js";

interface PullFlags {
  version?: string;
  registry?: string[];
  json?: boolean;
}

/** `pull IMAGE`: always asks the registry, like `docker pull`, with progress and mirrors. */
export async function run(image: string, flags: PullFlags): Promise<number> {
  const { json, ...options } = flags;
  const result = await runOperation(json, (context) => pull({ image, ...options }, context));
  if (json) {
    printJson({ ...result });
    return 0;
  }
  printLine(result.image);
  printLine(`  id      ${result.id}`);
  if (result.digest) printLine(`  digest  ${result.digest}`);
  if (result.registry) printLine(`  from    ${result.registry}`);
  return 0;
}
