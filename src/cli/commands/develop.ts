import { type DeveloperModeState, stoppedDespiteStatus } from "../../access/developer-mode.js";
import { develop } from "../../environment/develop.js";
import { runOperation } from "../client.js";
import { printJson, printLine } from "../output.js";

interface DevelopFlags {
  status?: boolean;
  stop?: boolean;
  editorAllow: string[];
  timeout: string;
  hostAddress?: string;
  json?: boolean;
}

const STATE_TEXT: Record<DeveloperModeState, string> = {
  running: "developer mode is on (the ModelBox server runs)",
  stopped:
    "developer mode is set up, but the ModelBox server is stopped ('develop NAME' starts it)",
  "not-set-up": "developer mode is off (not set up)",
  "no-modelbox-tool": "no modelbox-tool in this image",
};

/** R12: `modelbox-dev develop NAME [--status|--stop]`. */
export async function run(name: string, flags: DevelopFlags): Promise<number> {
  const { json, ...options } = flags;
  const result = await runOperation(json, (context) => develop({ name, ...options }, context));
  if (json) {
    printJson({ ...result });
    return 0;
  }
  const { editor } = result;
  if (flags.stop) {
    const what = result.developerMode === "not-set-up" ? "not set up" : "stopped";
    printLine(`${result.name}: the ModelBox server is ${what}.`);
  } else if (flags.status) {
    printLine(`${result.name}: ${STATE_TEXT[result.developerMode]}`);
    const despite = result.server && stoppedDespiteStatus(result.developerMode, result.server);
    if (despite) printLine(`  server  ${despite}`);
    const answer = editor?.ready
      ? "answers"
      : editor?.status !== undefined
        ? `HTTP ${editor.status}`
        : "no answer";
    printLine(`  editor  ${editor?.url ?? ""} (${answer})`);
  } else {
    printLine(`${result.name}: developer mode is on`);
    printLine(`  editor  ${editor?.url ?? ""}`);
    printLine(`  admits  ${(editor?.allow ?? []).join(", ")}`);
  }
  return 0;
}
