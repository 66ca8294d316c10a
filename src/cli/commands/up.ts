import { up } from "../../environment/up.js";
import { runOperation } from "../client.js";
import { printJson } from "../output.js";
import { renderUp } from "../render-up.js";
import { type UpFlags, upOptionsFrom } from "../up-flags.js";

export async function run(name: string | undefined, flags: UpFlags): Promise<number> {
  const options = upOptionsFrom(name, flags, "up");
  const result = await runOperation(flags.json, (context) => up(options, context));
  if (flags.json) printJson({ ...result });
  else renderUp(result);
  return 0;
}
