import type { AccessOutcome } from "../access/access-report.js";
import { editorClients, parseCidr } from "../access/editor-acl.js";
import { editorUrl, enableDeveloperMode } from "../access/developer-mode.js";
import { forgetEnvironment } from "../access/forget-environment.js";
import { passwordFromStdinText, readStdinSync } from "../access/password-input.js";
import { setUpAccess } from "../access/set-up-access.js";
import { type LoginKey, readUserPublicKey } from "../access/ssh-keys.js";
import { describeImage } from "../catalog/modelbox-name.js";
import { parseTimeoutSeconds } from "./parse-timeout.js";
import type { ContainerDetails, ContainerEngine } from "../engine/types.js";
import type { AfterReadyContext, UpSettings } from "../environment/up.js";
import { ModelboxDevError } from "../errors.js";
import { LABELS, parsePortsLabel } from "../labels.js";
import { openTunnel } from "../access/ssh-tunnel.js";
import { reachOf } from "./context.js";
import { freeLocalPorts } from "./free-ports.js";
import { type AccessInfo, accessInfo } from "./describe-environment.js";
import { logLine, toModelboxDevError } from "./output.js";

/** The options `addAccessUpOptions` declares, as commander hands them over. */
interface AccessFlags {
  sshKey?: string;
  passwordStdin: boolean;
  sshConfig: boolean;
  developMode: boolean;
  editorAllow: string[];
  timeoutSeconds: number;
  hostAddress?: string;
  keepOnFailure: boolean;
  json: boolean;
  image?: string;
  kind?: string;
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

function readFlags(flags: Record<string, unknown>): AccessFlags {
  return {
    ...(str(flags.sshKey) !== undefined ? { sshKey: str(flags.sshKey) } : {}),
    passwordStdin: flags.passwordStdin === true,
    sshConfig: flags.sshConfig !== false,
    developMode: flags.developMode !== false,
    editorAllow: Array.isArray(flags.editorAllow) ? flags.editorAllow.map(String) : [],
    timeoutSeconds: parseTimeoutSeconds(str(flags.timeout) ?? "120"),
    ...(str(flags.hostAddress) !== undefined ? { hostAddress: str(flags.hostAddress) } : {}),
    keepOnFailure: flags.keepOnFailure === true,
    json: flags.json === true,
    ...(str(flags.image) !== undefined ? { image: str(flags.image) } : {}),
    ...(str(flags.kind) !== undefined ? { kind: str(flags.kind) } : {}),
  };
}

/** The image kind the flags already tell (the image is chosen later when --image is absent). */
function kindFromFlags(flags: AccessFlags): string {
  if (flags.kind) return flags.kind;
  if (!flags.image) return "develop";
  try {
    return describeImage(flags.image).modelbox?.kind ?? "unknown";
  } catch {
    return "unknown"; // `up` reports the bad reference itself
  }
}

/** --password-stdin: the password, read and checked before anything is created. */
export function passwordFromStdin(command: string): string {
  if (process.stdin.isTTY) {
    throw new ModelboxDevError(
      "PASSWORD_REQUIRED",
      "--password-stdin reads the password from a pipe, but stdin is a terminal.",
      `Pipe it in (printf '%s' "$PASSWORD" | modelbox-dev ${command} --password-stdin), or run 'modelbox-dev passwd NAME', which asks without echo.`,
    );
  }
  return passwordFromStdinText(readStdinSync());
}

interface ValidatedAccess {
  flags: AccessFlags;
  userKey?: LoginKey;
  password?: string;
  editorAllow: string[];
}

/** Everything about access that can be wrong in the input is refused here, before create. */
function validate(raw: Record<string, unknown>): ValidatedAccess {
  const flags = readFlags(raw);
  const editorAllow = flags.editorAllow.map(parseCidr);
  if (!flags.developMode && editorAllow.length > 0) {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      "--editor-allow has no effect with --no-develop-mode.",
      "Drop one of them; 'modelbox-dev develop NAME --editor-allow CIDR' can turn developer mode on later.",
    );
  }
  if (kindFromFlags(flags) === "runtime") {
    if (flags.sshKey || flags.passwordStdin) {
      throw new ModelboxDevError(
        "NO_SSHD",
        "Runtime images have no sshd, so --ssh-key and --password-stdin cannot be used.",
        "Use a develop image (--kind develop) to log in over SSH.",
      );
    }
    if (editorAllow.length > 0) {
      throw new ModelboxDevError(
        "NO_EDITOR",
        "Runtime images have no editor, so --editor-allow cannot be used.",
        "Use a develop image (--kind develop) for the editor.",
      );
    }
  }
  const userKey = flags.sshKey ? readUserPublicKey(flags.sshKey) : undefined;
  const password = flags.passwordStdin ? passwordFromStdin("up NAME") : undefined;
  return {
    flags,
    editorAllow,
    ...(userKey ? { userKey } : {}),
    ...(password !== undefined ? { password } : {}),
  };
}

/** Where this host reaches the published ports. */

/** --json: the generic access info, refined by what the access steps found. */
export function accessJson(info: AccessInfo, outcome: AccessOutcome): Record<string, unknown> {
  return {
    ...(info.ssh || outcome.ssh ? { ssh: { ...info.ssh, ...outcome.ssh } } : {}),
    ...(info.editor || outcome.editor ? { editor: { ...info.editor, ...outcome.editor } } : {}),
    ...(info.http || outcome.http ? { http: { ...info.http, ...outcome.http } } : {}),
  };
}

/** Lines under `up`'s summary: how to log in, the editor, the password, notes. */
export function summaryLines(name: string, outcome: AccessOutcome): string[] {
  const lines: string[] = [];
  const { ssh, editor } = outcome;
  if (ssh) {
    const checked = ssh.check === "key-login" ? "key login verified" : "sshd answers";
    if (ssh.configHost) {
      lines.push(`  login   ssh ${ssh.configHost}   (~/.ssh/config entry; ${checked})`);
      lines.push(`          ${ssh.command}`);
    } else lines.push(`  login   ${ssh.command}   (${checked})`);
    if (outcome.passwordSet === true) {
      lines.push("  root    has a password (password login works too)");
    } else if (outcome.passwordSet === false) {
      lines.push(
        `  root    no password (key login only); set one with 'modelbox-dev passwd ${name}'`,
      );
    }
  }
  if (editor) {
    if (editor.ready) {
      const allow = editor.allow?.length ? `; the editor admits ${editor.allow.join(", ")}` : "";
      lines.push(`  develop on: ${editor.url} answers${allow}`);
    } else if (editor.developerMode !== "no-modelbox-tool") {
      lines.push(`  develop off: 'modelbox-dev develop ${name}' turns it on`);
    }
  }
  for (const note of outcome.notes) lines.push(`note: ${note}`);
  return lines;
}

/**
 * `up`'s access steps: SSH key (or --ssh-key) for root, a real key login, the password from
 * stdin, the ~/.ssh/config entry, developer mode. Input errors are thrown here, synchronously,
 * before `up` creates anything.
 */
export function accessSettingsForUp(raw: Record<string, unknown>): Pick<UpSettings, "afterReady"> {
  const access = validate(raw);
  const { flags } = access;
  const afterReady = async (ctx: AfterReadyContext) => {
    const c = ctx.container;
    const reach = reachOf(ctx.engine.connection, c.ports[0]?.hostIp, flags.hostAddress);
    const info = accessInfo(c, reach);
    const ports = parsePortsLabel(c.labels[LABELS.ports]);
    // Ports on a remote loopback: the editor is checked through a tunnel of its own.
    const tunnel =
      reach.proxyJump && ports.editor !== undefined && flags.developMode
        ? await openTunnel({
            jump: reach.proxyJump,
            target: { host: reach.connectAddress, port: ports.editor },
            localPort: (await freeLocalPorts(1))[0] ?? 0,
          })
        : undefined;
    try {
      const outcome = await setUpAccess(ctx.engine, {
        name: c.name,
        containerId: c.id,
        kind: ctx.plan.imageKind,
        ports,
        hostAddress: reach.hostAddress,
        connectAddress: reach.connectAddress,
        ...(reach.proxyJump ? { proxyJump: reach.proxyJump } : {}),
        ...(tunnel ? { editorConnect: { host: "127.0.0.1", port: tunnel.localPort } } : {}),
        ...(c.gateway ? { gateway: c.gateway } : {}),
        ...(access.userKey ? { userKey: access.userKey } : {}),
        ...(access.password !== undefined ? { password: access.password } : {}),
        sshConfig: flags.sshConfig,
        developerMode: flags.developMode,
        editorAllow: access.editorAllow,
        // The access steps get their own --timeout, counted from when the container answers.
        deadline: Date.now() + flags.timeoutSeconds * 1000,
        log: ctx.log,
      });
      // Notes join the plan's, which `up --json` prints.
      ctx.plan.notes.push(...outcome.notes);
      return {
        warnings: outcome.warnings,
        report: { ...accessJson(info, outcome), summaryLines: summaryLines(c.name, outcome) },
      };
    } catch (err) {
      // `up` removes a container it created when this fails: its key and entry go with it.
      const created = ctx.action === "created" || ctx.action === "recreated";
      if (created && !flags.keepOnFailure) await forgetEnvironment(c.name).catch(() => undefined);
      throw err;
    } finally {
      tunnel?.close();
    }
  };
  return { afterReady };
}

/**
 * After `start` of a stopped environment: the ModelBox server is not a systemd unit, so
 * developer mode is brought back (only where it was set up). The container did start, so a
 * failure here is a warning, not an error.
 */
export async function afterStart(
  engine: ContainerEngine,
  container: ContainerDetails,
  flags: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const ports = parsePortsLabel(container.labels[LABELS.ports]);
  const editorPort = ports.editor;
  if (
    editorPort === undefined ||
    container.status !== "running" ||
    container.labels[LABELS.kind] === "runtime"
  ) {
    return {};
  }
  const reach = reachOf(engine.connection, container.ports[0]?.hostIp);
  const info = accessInfo(container, reach);
  const url = info.editor?.url ?? editorUrl(reach.connectAddress, editorPort);
  const tunnel = reach.proxyJump
    ? await openTunnel({
        jump: reach.proxyJump,
        target: { host: reach.connectAddress, port: editorPort },
        localPort: (await freeLocalPorts(1))[0] ?? 0,
      })
    : undefined;
  const log = flags.json === true ? () => undefined : logLine;
  try {
    const outcome = await enableDeveloperMode(engine, container.id, {
      allow: editorClients({
        ...(container.gateway ? { gateway: container.gateway } : {}),
        hostAddress: reach.hostAddress,
      }),
      ...(container.gateway ? { clientAddress: container.gateway } : {}),
      editor: tunnel
        ? { host: "127.0.0.1", port: tunnel.localPort }
        : { host: reach.connectAddress, port: editorPort },
      deadline: Date.now() + parseTimeoutSeconds(str(flags.timeout) ?? "120") * 1000,
      onlyIfSetUp: true,
      log,
    });
    const editor = { url, ready: outcome.ready, developerMode: outcome.state };
    return {
      editor,
      summaryLines: outcome.ready ? [`  editor  ${url} (developer mode is back on)`] : [],
    };
  } catch (err) {
    const e = toModelboxDevError(err);
    return {
      editor: { url, ready: false },
      warnings: [`Developer mode did not come back: ${e.message}`],
      summaryLines: [
        `warning: developer mode did not come back: ${e.message}`,
        ...e.details,
        ...(e.hint ? [`hint: ${e.hint}`] : []),
      ],
    };
  } finally {
    tunnel?.close();
  }
}

/** After `rm`: the ~/.ssh/config entry, generated key and host keys go. */
export async function afterRemove(container: ContainerDetails): Promise<void> {
  try {
    await forgetEnvironment(container.name);
  } catch (err) {
    logLine(`warning: ${toModelboxDevError(err).message}`);
  }
}
