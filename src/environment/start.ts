import { editorUrl, enableDeveloperMode } from "../access/developer-mode.js";
import { editorClients } from "../access/editor-acl.js";
import type { ContainerDetails, ContainerEngine } from "../engine/types.js";
import { ModelboxDevError, isModelboxDevError } from "../errors.js";
import { LABELS } from "../labels.js";
import { hostPortsByPurpose } from "../published-ports.js";
import { DEFAULT_TIMEOUT_SECONDS } from "../plan/defaults.js";
import { parseTimeoutSeconds } from "../plan/validate.js";
import { accessInfo } from "./describe.js";
import { getEnvironment } from "./find.js";
import { type OperationContext, type ResolvedContext, resolveContext } from "./operation.js";
import { reachOfEnvironment, withPort } from "./reach.js";
import type { StartOptions, StartResult } from "./types.js";

/**
 * After the start of a stopped environment: developer mode comes back where it was promised (set
 * up, and not stopped with `develop --stop`). The boot unit starts the server; without one it is
 * restarted here. The container did start, but an editor that does not come back is an error.
 */
async function developerModeBack(
  engine: ContainerEngine,
  c: ContainerDetails,
  timeoutSeconds: number,
  ctx: ResolvedContext,
): Promise<Pick<StartResult, "editor">> {
  const editorPort = hostPortsByPurpose(c).editor;
  if (editorPort === undefined || c.status !== "running" || c.labels[LABELS.kind] === "runtime") {
    return {};
  }
  const reach = reachOfEnvironment(engine, c);
  const url = accessInfo(c, reach).editor?.url ?? editorUrl(reach.hostAddress, editorPort);
  // The editor is checked from here: through a tunnel when it is on a remote host's loopback.
  const bringBack = (editor: { host: string; port: number }) =>
    enableDeveloperMode(engine, c.id, {
      allow: editorClients({
        ...(c.gateway ? { gateway: c.gateway } : {}),
        hostAddress: reach.hostAddress,
      }),
      ...(c.gateway ? { clientAddress: c.gateway } : {}),
      editor,
      deadline: Date.now() + timeoutSeconds * 1000,
      onlyIfPromised: true,
      log: ctx.log,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
  const outcome = await withPort(reach, editorPort, bringBack, ctx.signal).catch((err: unknown) => {
    if (!isModelboxDevError(err)) throw err;
    throw new ModelboxDevError(
      err.code,
      `${c.name} started, but its editor did not come back: ${err.message}`,
      err.hint,
      { cause: err, details: err.details },
    );
  });
  const forward = accessInfo(c, reach).editor?.forward;
  return {
    editor: {
      url,
      ...(forward ? { forward } : {}),
      ready: outcome.ready,
      developerMode: outcome.state,
    },
  };
}

/** `start NAME`: starts a stopped environment; developer mode comes back on with it. */
export async function start(
  options: StartOptions,
  context?: OperationContext,
): Promise<StartResult> {
  // Bad input stops here, before anything changes.
  const timeoutSeconds =
    options.timeout === undefined
      ? DEFAULT_TIMEOUT_SECONDS
      : parseTimeoutSeconds(String(options.timeout));
  const ctx = resolveContext(context);
  const { engine } = ctx;
  const before = await getEnvironment(engine, options.name);
  if (before.status !== "running") await engine.startContainer(before.id);
  const c = (await engine.inspectContainer(before.id)) ?? before;
  // Only after a real start: a running environment's server may have been stopped on purpose.
  const back =
    before.status === "running" ? {} : await developerModeBack(engine, c, timeoutSeconds, ctx);
  return { ok: true, name: c.name, id: c.id, state: c.status, ...back };
}
