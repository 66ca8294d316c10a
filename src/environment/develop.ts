import {
  editorUrl,
  enableDeveloperMode,
  inspectDeveloperMode,
  stopDeveloperMode,
} from "../access/developer-mode.js";
import { editorClients, parseCidr } from "../access/editor-acl.js";
import { httpGet } from "../access/http-probe.js";
import { ModelboxDevError } from "../errors.js";
import { LABELS } from "../labels.js";
import { hostPortsByPurpose } from "../published-ports.js";
import { DEFAULT_TIMEOUT_SECONDS } from "../plan/defaults.js";
import { parseTimeoutSeconds } from "../plan/validate.js";
import { assertRunning, getEnvironment } from "./find.js";
import { type OperationContext, resolveContext } from "./operation.js";
import { reachOfEnvironment, withPort } from "./reach.js";
import type { DevelopOptions, DevelopResult } from "./types.js";

function noTool(name: string): ModelboxDevError {
  return new ModelboxDevError(
    "NO_MODELBOX_TOOL",
    `modelbox-tool is not in the image of ${name}, so developer mode cannot be turned on.`,
    "Use a ModelBox develop image (they carry modelbox-tool and the editor).",
  );
}

/** R12: `develop NAME`: developer mode on (default), `status` to look, `stop` to stop the server. */
export async function develop(
  options: DevelopOptions,
  context?: OperationContext,
): Promise<DevelopResult> {
  const { name } = options;
  if (options.status && options.stop) {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      "--status and --stop exclude each other.",
      "Give one.",
    );
  }
  const timeoutSeconds =
    options.timeout === undefined
      ? DEFAULT_TIMEOUT_SECONDS
      : parseTimeoutSeconds(String(options.timeout));
  const extra = (options.editorAllow ?? []).map(parseCidr);
  const { engine, log, signal } = resolveContext(context);
  const c = await getEnvironment(engine, name);
  const port = hostPortsByPurpose(c).editor;
  if (port === undefined || c.labels[LABELS.kind] === "runtime") {
    throw new ModelboxDevError(
      "NO_EDITOR",
      `Environment ${JSON.stringify(name)} has no editor (a runtime image, or no editor port).`,
      "Developer mode needs a develop image.",
    );
  }
  assertRunning(c, name, " (developer mode comes back with it)");
  const reach = reachOfEnvironment(engine, c, options.hostAddress);
  const { hostAddress } = reach;
  const url = editorUrl(hostAddress, port);
  const forward = reach.proxyJump ? { forward: `modelbox-dev forward ${c.name}` } : {};

  if (options.stop) {
    const before = await stopDeveloperMode(engine, c.id);
    if (before === "no-modelbox-tool") throw noTool(name);
    return { ok: true, name: c.name, developerMode: before };
  }
  if (options.status) {
    const [server, answer] = await Promise.all([
      inspectDeveloperMode(engine, c.id),
      withPort(reach, port, (at) => httpGet(at.host, at.port, "/editor/", 1_000), signal).catch(
        () => undefined,
      ),
    ]);
    return {
      ok: true,
      name: c.name,
      developerMode: server.state,
      editor: {
        url,
        ...forward,
        ready: answer?.status === 200,
        ...(answer ? { status: answer.status } : {}),
      },
      server: {
        ...(server.serviceStatus !== undefined ? { status: server.serviceStatus } : {}),
        ...(server.listen ? { port: server.listen.port } : {}),
        ...(server.answers !== undefined ? { answers: server.answers } : {}),
        bootUnit: server.bootUnit,
      },
    };
  }
  const outcome = await withPort(
    reach,
    port,
    (editor) =>
      enableDeveloperMode(engine, c.id, {
        allow: editorClients({ ...(c.gateway ? { gateway: c.gateway } : {}), hostAddress, extra }),
        ...(c.gateway ? { clientAddress: c.gateway } : {}),
        editor,
        deadline: Date.now() + timeoutSeconds * 1000,
        log,
        ...(signal ? { signal } : {}),
      }),
    signal,
  );
  if (outcome.state === "no-modelbox-tool") throw noTool(name);
  return {
    ok: true,
    name: c.name,
    developerMode: outcome.state,
    editor: {
      url,
      ...forward,
      ready: outcome.ready,
      allow: outcome.allow,
      ...(outcome.startsAtBoot !== undefined ? { startsAtBoot: outcome.startsAtBoot } : {}),
    },
  };
}
