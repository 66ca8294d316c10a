import { getEnvironment } from "../../environment/find.js";
import { ModelboxDevError } from "../../errors.js";
import { createEngine } from "../context.js";

export async function run(
  name: string,
  flags: { follow?: boolean; tail?: string },
): Promise<number> {
  const tail = flags.tail === undefined ? undefined : Number(flags.tail);
  if (tail !== undefined && (!Number.isInteger(tail) || tail < 0)) {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      `--tail ${flags.tail} is not a line count.`,
      "E.g. --tail 100.",
    );
  }
  const engine = createEngine();
  const c = await getEnvironment(engine, name);
  const options = tail === undefined ? {} : { tail };
  if (flags.follow) {
    const abort = new AbortController();
    process.once("SIGINT", () => abort.abort());
    await engine.followLogs(c.id, options, process.stdout, abort.signal);
  } else {
    process.stdout.write(await engine.logs(c.id, options));
  }
  return 0;
}
