import {
  type DeveloperModeState,
  developerModeState,
  editorUrl,
  enableDeveloperMode,
  stopDeveloperMode,
} from "../../access/developer-mode.js";
import { editorClients, parseCidr } from "../../access/editor-acl.js";
import { httpGet } from "../../access/http-probe.js";
import { assertRunning, getEnvironment } from "../../environment/find.js";
import { reachableAddress } from "../../environment/readiness.js";
import { ModelboxDevError } from "../../errors.js";
import { LABELS, parsePortsLabel } from "../../labels.js";
import { parseTimeoutSeconds } from "../parse-timeout.js";
import { createEngine, detectHostAddress } from "../context.js";
import { logLine, printJson, printLine } from "../output.js";

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
  if (flags.status && flags.stop) {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      "--status and --stop exclude each other.",
      "Give one.",
    );
  }
  const timeoutSeconds = parseTimeoutSeconds(flags.timeout);
  const extra = flags.editorAllow.map(parseCidr);
  const engine = createEngine();
  const c = await getEnvironment(engine, name);
  const port = parsePortsLabel(c.labels[LABELS.ports]).editor;
  if (port === undefined || c.labels[LABELS.kind] === "runtime") {
    throw new ModelboxDevError(
      "NO_EDITOR",
      `Environment ${JSON.stringify(name)} has no editor (a runtime image, or no editor port).`,
      "Developer mode needs a develop image.",
    );
  }
  assertRunning(c, name, " (developer mode comes back with it)");
  const hostIp = c.ports[0]?.hostIp ?? "";
  const hostAddress = flags.hostAddress ?? detectHostAddress(hostIp);
  const connect = reachableAddress(hostIp);
  const url = editorUrl(hostAddress, port);

  if (flags.stop) {
    const before = await stopDeveloperMode(engine, c.id);
    if (before === "no-modelbox-tool") throw noTool(name);
    if (flags.json) printJson({ ok: true, name: c.name, developerMode: before });
    else
      printLine(
        `${c.name}: the ModelBox server is ${before === "not-set-up" ? "not set up" : "stopped"}.`,
      );
    return 0;
  }
  if (flags.status) {
    const [state, answer] = await Promise.all([
      developerModeState(engine, c.id),
      httpGet(connect, port, "/editor/", 1_000),
    ]);
    const ready = answer?.status === 200;
    if (flags.json) {
      printJson({ ok: true, name: c.name, developerMode: state, editor: { url, ready } });
    } else {
      printLine(`${c.name}: ${STATE_TEXT[state]}`);
      printLine(
        `  editor  ${url} (${ready ? "answers" : answer ? `HTTP ${answer.status}` : "no answer"})`,
      );
    }
    return 0;
  }
  const outcome = await enableDeveloperMode(engine, c.id, {
    allow: editorClients({
      ...(c.gateway ? { gateway: c.gateway } : {}),
      hostAddress,
      extra,
    }),
    ...(c.gateway ? { clientAddress: c.gateway } : {}),
    editor: { host: connect, port },
    deadline: Date.now() + timeoutSeconds * 1000,
    log: flags.json ? () => undefined : logLine,
  });
  if (outcome.state === "no-modelbox-tool") throw noTool(name);
  if (flags.json) {
    printJson({
      ok: true,
      name: c.name,
      developerMode: outcome.state,
      editor: { url, ready: outcome.ready, allow: outcome.allow },
    });
  } else {
    printLine(`${c.name}: developer mode is on`);
    printLine(`  editor  ${url}`);
    printLine(`  admits  ${outcome.allow.join(", ")}`);
  }
  return 0;
}

function noTool(name: string): ModelboxDevError {
  return new ModelboxDevError(
    "NO_MODELBOX_TOOL",
    `modelbox-tool is not in the image of ${name}, so developer mode cannot be turned on.`,
    "Use a ModelBox develop image (they carry modelbox-tool and the editor).",
  );
}
