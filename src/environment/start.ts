import { editorUrl, enableDeveloperMode } from "../access/developer-mode.js";
import { editorClients } from "../access/editor-acl.js";
import type { ContainerDetails, ContainerEngine } from "../engine/types.js";
import { isModelboxDevError } from "../errors.js";
import { detectHostAddress } from "../host/host-address.js";
import { LABELS, parsePortsLabel } from "../labels.js";
import { DEFAULT_TIMEOUT_SECONDS } from "../plan/defaults.js";
import { parseTimeoutSeconds } from "../plan/validate.js";
import { accessInfo } from "./describe.js";
import { getEnvironment } from "./find.js";
import { type OperationContext, type ResolvedContext, resolveContext } from "./operation.js";
import { reachableAddress } from "./readiness.js";
import type { StartOptions, StartResult } from "./types.js";

/**
 * After the start of a stopped environment: the ModelBox server is not a systemd unit, so
 * developer mode is brought back (only where it was set up). The container did start, so a
 * failure here is a warning, not an error.
 */
async function developerModeBack(
  engine: ContainerEngine,
  c: ContainerDetails,
  timeoutSeconds: number,
  ctx: ResolvedContext,
): Promise<Pick<StartResult, "editor" | "warnings">> {
  const editorPort = parsePortsLabel(c.labels[LABELS.ports]).editor;
  if (editorPort === undefined || c.status !== "running" || c.labels[LABELS.kind] === "runtime") {
    return {};
  }
  const connect = reachableAddress(c.ports[0]?.hostIp ?? "");
  const url = accessInfo(c).editor?.url ?? editorUrl(connect, editorPort);
  try {
    const outcome = await enableDeveloperMode(engine, c.id, {
      allow: editorClients({
        ...(c.gateway ? { gateway: c.gateway } : {}),
        hostAddress: detectHostAddress(c.ports[0]?.hostIp),
      }),
      ...(c.gateway ? { clientAddress: c.gateway } : {}),
      editor: { host: connect, port: editorPort },
      deadline: Date.now() + timeoutSeconds * 1000,
      onlyIfSetUp: true,
      log: ctx.log,
    });
    return { editor: { url, ready: outcome.ready, developerMode: outcome.state } };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const warning = `Developer mode did not come back: ${message}`;
    ctx.emit({ type: "warning", message: warning });
    if (isModelboxDevError(err)) {
      for (const line of err.details) ctx.log(line);
      if (err.hint) ctx.log(`hint: ${err.hint}`);
    }
    return { editor: { url, ready: false }, warnings: [warning] };
  }
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
