import { logs } from "../../environment/logs.js";
import { runOperation } from "../client.js";

export async function run(
  name: string,
  flags: { follow?: boolean; tail?: string },
): Promise<number> {
  const result = await runOperation(false, (context) =>
    logs(
      {
        name,
        follow: flags.follow ?? false,
        ...(flags.tail !== undefined ? { tail: flags.tail } : {}),
      },
      context,
    ),
  );
  process.stdout.write(result.text);
  return 0;
}
