import { askEarly, containerListPath } from "../engine/docker/early-answers.js";
import { engineTarget } from "../engine/select/choose-engine.js";
import { MANAGED_FILTER } from "../labels.js";
import { type EarlyCommand, asksEarly } from "./early-commands.js";

export { earlyRequestsWritten } from "../engine/docker/early-answers.js";

/**
 * What each command asks the engine first, whatever its arguments: `ls` lists the environments.
 * Asked before the command's code loads, the answer is there when it asks (`ls` over 200
 * environments: 153 against 184 ms, 21 alternating runs). Not `up`: asking /_ping, /info and the
 * container list early gained nothing measurable (20 rotating runs each, with /info and without:
 * the engine answering /info takes the CPU that loading `up` needs, on two cores).
 */
const FIRST_ASKS: Record<EarlyCommand, (args: string[]) => string[]> = {
  ls: (args) =>
    args.includes("--all-contexts")
      ? []
      : [containerListPath({ all: true, labels: [MANAGED_FILTER] })],
};

/**
 * Begins the engine requests `args`' command makes first (engine/docker/early-answers.ts), on the
 * engine it will use: only when no global option (--host, --context) comes before the command,
 * so the engine is chosen as the command will choose it, and only for a local socket.
 */
export function askEarlyForCommand(args: string[]): void {
  const paths = firstAsks(args);
  if (paths.length === 0) return;
  let target;
  try {
    target = engineTarget();
  } catch {
    return; // the command reports a bad DOCKER_HOST or context itself
  }
  if (target.endpoint.transport !== "unix") return;
  for (const path of paths) void askEarly(target.endpoint.socketPath, path);
}

/**
 * The GETs `args`' command makes first: none for a command not listed, for --help, or when a
 * global option comes first.
 */
export function firstAsks(args: string[]): string[] {
  const [command, ...rest] = args;
  const ask = asksEarly(command) ? FIRST_ASKS[command] : undefined;
  if (!ask || rest.includes("--help") || rest.includes("-h")) return [];
  return ask(rest);
}
