import { editorUrl } from "../../access/developer-mode.js";
import { type DeveloperModeState, developerModeState } from "../../access/developer-mode-state.js";
import { httpGet } from "../../access/http-probe.js";
import { rootHasPassword } from "../../access/root-password.js";
import { accessInfo, accessJson, settingsOf } from "../describe.js";
import { withPort } from "../reach.js";
import type { UpResult } from "../types.js";
import { addresses } from "./access-steps.js";
import { type Execution, runningContainer } from "./execution.js";

/**
 * Developer mode's state: the look begun as the container started, unless it found the server
 * stopped (a server that starts at boot may have come up since).
 */
async function currentDeveloperModeState(x: Execution, id: string): Promise<DeveloperModeState> {
  const early = await x.early.developerModeLook;
  return early === undefined || early === "stopped" ? developerModeState(x.ctx.engine, id) : early;
}

/**
 * What the steps leave to observe: whether root has a password, the editor's state when
 * developer mode was left alone, whether something answers HTTP. Quick probes, no changes.
 */
async function observe(x: Execution): Promise<void> {
  const c = runningContainer(x);
  const { engine } = x.ctx;
  const { ports, host, reach } = addresses(x);
  // A quick look: through a tunnel when the ports are on a remote loopback; no answer if none.
  const get = (port: number, path: string) =>
    withPort(reach, port, (at) => httpGet(at.host, at.port, path, 1_000)).catch(() => undefined);
  // Each look is independent of the others: they go together (each exec is a round of calls).
  await Promise.all([
    (async () => {
      if (x.ssh) {
        x.passwordSet =
          x.secrets.password !== undefined ||
          (x.installed && "hasPassword" in x.installed
            ? x.installed.hasPassword
            : await rootHasPassword(engine, c.id));
      }
    })(),
    (async () => {
      if (x.editor || ports.editor === undefined || x.plan.imageKind === "runtime") return;
      const [state, answer] = await Promise.all([
        currentDeveloperModeState(x, c.id),
        get(ports.editor, "/editor/"),
      ]);
      x.editor = {
        url: editorUrl(host, ports.editor),
        ready: answer?.status === 200,
        developerMode: state,
      };
    })(),
    (async () => {
      if (ports.http === undefined) return;
      const answer = await get(ports.http, "/health");
      x.http = { port: ports.http, ready: answer !== undefined };
    })(),
  ]);
}

/** The result of `up`: exactly what `up --json` prints. */
export async function upResult(x: Execution): Promise<UpResult> {
  await observe(x);
  const c = runningContainer(x);
  const info = accessInfo(c, addresses(x).reach);
  const planWarnings = x.plan.warnings.map((w) => w.message);
  return {
    ok: true,
    action: x.action,
    name: c.name,
    id: c.id,
    image: x.plan.image,
    state: c.status,
    ports: info.ports,
    ...accessJson(info, {
      ...(x.ssh ? { ssh: x.ssh } : {}),
      ...(x.editor ? { editor: x.editor } : {}),
      ...(x.http ? { http: x.http } : {}),
    }),
    ...(x.plan.imageReason ? { imageReason: x.plan.imageReason } : {}),
    warnings: [...new Set([...planWarnings, ...x.warnings])],
    notes: [...x.plan.notes, ...x.notes],
    ...(x.passwordSet !== undefined ? { passwordSet: x.passwordSet } : {}),
    settings: settingsOf(c),
    steps: x.reports,
  };
}
