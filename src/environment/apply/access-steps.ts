import {
  type DeveloperModeOutcome,
  editorUrl,
  enableDeveloperMode,
} from "../../access/developer-mode.js";
import { editorClients } from "../../access/editor-acl.js";
import { httpGet } from "../../access/http-probe.js";
import { setRootPassword } from "../../access/root-password.js";
import { renderSshCommand } from "../../access/ssh-command.js";
import {
  addSshConfigEntry,
  hasSshd,
  installLoginKey,
  verifyKeyLogin,
} from "../../access/ssh-setup.js";
import { ModelboxDevError } from "../../errors.js";
import { hostPortsByPurpose } from "../../published-ports.js";
import { pollUntil } from "../../poll-until.js";
import type { AccessStepId, PlanStep } from "../../plan/types.js";
import { reachOfEnvironment, withPort } from "../reach.js";
import { type Execution, accessDeadline, runningContainer } from "./execution.js";
import { type StepHandler, type StepOutcome, done, skipped } from "./run-steps.js";

/** Where the access steps reach the environment, and what they print for the user. */
export function addresses(x: Execution) {
  const c = runningContainer(x);
  const reach = reachOfEnvironment(x.ctx.engine, c, x.plan.access.hostAddress);
  return {
    ports: hostPortsByPurpose(c),
    /** The address printed for users (`--host-address`, or detected; a remote engine's host). */
    host: reach.hostAddress,
    /** Where this host reaches the published ports (loopback for an all-interfaces bind). */
    connect: reach.connectAddress,
    reach,
  };
}

/** Steps that run only `when` the image has sshd: asked once, for images of unknown kind. */
async function sshdAbsent(x: Execution, step: PlanStep): Promise<StepOutcome | undefined> {
  if (!step.when) return undefined;
  if (x.sshd === undefined) {
    // Asked as soon as the container ran, when `up` began its early work.
    const early = await x.early.sshd?.catch(() => undefined);
    x.sshd = early ?? (await hasSshd(x.ctx.engine, runningContainer(x).id));
  }
  if (x.sshd) return undefined;
  if (x.secrets.userKey || x.secrets.password !== undefined) {
    throw new ModelboxDevError(
      "NO_SSHD",
      `The image of ${x.plan.name} has no sshd, so there is no SSH login to set up.`,
      "Leave out --ssh-key and --password-stdin, or use a develop image (runtime images have no sshd).",
    );
  }
  const note = "SSH keys are skipped: the image has no sshd.";
  if (!x.notes.includes(note)) x.notes.push(note);
  return skipped("the image has no sshd");
}

const installKey: StepHandler = async (x, step) => {
  accessDeadline(x);
  const absent = await sshdAbsent(x, step);
  if (absent) return absent;
  const c = runningContainer(x);
  x.installed = await installLoginKey(x.ctx.engine, {
    name: c.name,
    containerId: c.id,
    ...(x.secrets.userKey ? { userKey: x.secrets.userKey } : {}),
    ...(x.early.key ? { staged: x.early.key } : {}),
    log: x.ctx.log,
  });
  return done(x.installed.key.publicKeyFile);
};

function sshTarget(x: Execution, host: string) {
  const { ports, reach } = addresses(x);
  const installed = x.installed;
  return {
    host,
    port: ports.ssh ?? 22,
    user: "root",
    // Ports on a remote host's loopback: every login hops through that host.
    ...(reach.proxyJump ? { proxyJump: reach.proxyJump } : {}),
    ...(installed ? { identityFile: installed.key.identityFile } : {}),
    ...(installed ? { knownHostsFile: installed.knownHostsFile } : {}),
  };
}

const verifyLogin: StepHandler = async (x, step) => {
  const absent = await sshdAbsent(x, step);
  if (absent || !x.installed) return absent ?? skipped("no key was installed");
  const { host, connect } = addresses(x);
  const target = sshTarget(x, connect);
  const result = await verifyKeyLogin({
    key: x.installed.key,
    target,
    deadline: accessDeadline(x),
    log: x.ctx.log,
    ...(x.ctx.signal ? { signal: x.ctx.signal } : {}),
  });
  if (result.note) x.notes.push(result.note);
  if (result.warning) x.warnings.push(result.warning);
  x.ssh = {
    host,
    port: target.port,
    user: "root",
    keyPath: x.installed.key.identityFile,
    command: renderSshCommand({ ...target, host }),
    ready: true,
    check: result.check,
  };
  return result.check === "key-login"
    ? done(`logged in as root on ${connect}:${target.port}`)
    : skipped(result.note ?? result.warning ?? "sshd answers");
};

const sshConfig: StepHandler = async (x, step) => {
  const absent = await sshdAbsent(x, step);
  if (absent || !x.installed || !x.ssh) return absent ?? skipped("no key was installed");
  const { ports, connect, reach } = addresses(x);
  const alias = await addSshConfigEntry(x.plan.name, {
    // This host's own view: the address that reaches the port from here.
    hostName: connect,
    port: ports.ssh ?? 22,
    identityFile: x.installed.key.identityFile,
    knownHostsFile: x.installed.knownHostsFile,
    ...(reach.proxyJump ? { proxyJump: reach.proxyJump } : {}),
  });
  x.ssh.configHost = alias;
  return done(`ssh ${alias}`);
};

const setPassword: StepHandler = async (x, step) => {
  const absent = await sshdAbsent(x, step);
  if (absent) return absent;
  const password = x.secrets.password;
  if (password === undefined) {
    throw new ModelboxDevError(
      "PASSWORD_REQUIRED",
      "The plan sets root's password, but none was given.",
      "Pass it as the password option (the CLI reads it with --password-stdin).",
    );
  }
  x.ctx.log("Setting root's password (over stdin)…");
  await setRootPassword(x.ctx.engine, runningContainer(x).id, password);
  return done();
};

/**
 * A new container with a new /root: developer mode cannot be set up yet. Of a develop image, or
 * of one whose kind the name does not tell (`develop -s` failing then tells whether it has
 * modelbox-tool, as the first look would have, an exec of 300-600 ms while the container boots).
 */
export function isFresh(x: Execution): boolean {
  return (
    !x.reuse &&
    x.plan.imageKind !== "runtime" &&
    x.plan.volumes.every((v) => x.createdVolumes.includes(v.name))
  );
}

/**
 * Turns developer mode on for the step, or early (see early-work.ts) with `signal` ending it
 * when `up` fails first. Undefined when the container publishes no editor port.
 */
export async function setUpDeveloperMode(
  x: Execution,
  signal = x.ctx.signal,
  engine = x.ctx.engine,
  log = x.ctx.log,
): Promise<DeveloperModeOutcome | undefined> {
  const c = runningContainer(x);
  const { ports, host, reach } = addresses(x);
  const port = ports.editor;
  if (port === undefined) return undefined;
  return withPort(
    reach,
    port,
    (editor) =>
      enableDeveloperMode(engine, c.id, {
        allow: editorClients({
          ...(c.gateway ? { gateway: c.gateway } : {}),
          hostAddress: host,
          extra: x.plan.access.editorAllow,
        }),
        ...(c.gateway ? { clientAddress: c.gateway } : {}),
        fresh: isFresh(x),
        editor,
        deadline: accessDeadline(x),
        log,
        ...(signal ? { signal } : {}),
      }),
    signal,
  );
}

const developerMode: StepHandler = async (x) => {
  accessDeadline(x);
  const { ports, host } = addresses(x);
  const outcome = await (x.early.developerModeSetup ?? setUpDeveloperMode(x));
  if (!outcome || ports.editor === undefined) return skipped("no editor port");
  const url = editorUrl(host, ports.editor);
  if (outcome.state === "no-modelbox-tool") {
    const message =
      "modelbox-tool is not in this image, so developer mode (the editor) was skipped; the environment is kept and works otherwise.";
    // Expected of an image that is not a ModelBox develop image; a problem in one that is.
    (x.plan.imageKind === "develop" ? x.warnings : x.notes).push(message);
    x.editor = { url, ready: false, developerMode: outcome.state };
    return skipped("the image has no modelbox-tool");
  }
  x.editor = {
    url,
    ready: outcome.ready,
    developerMode: outcome.state,
    allow: outcome.allow,
    ...(outcome.startsAtBoot !== undefined ? { startsAtBoot: outcome.startsAtBoot } : {}),
  };
  return done(`admits ${outcome.allow.join(", ")}`);
};

/** The editor answers 200 through the published port, from this host. */
const waitEditor: StepHandler = async (x) => {
  if (!x.editor || x.editor.developerMode === "no-modelbox-tool") {
    return skipped("developer mode is not on");
  }
  const { ports, connect, reach } = addresses(x);
  const port = ports.editor ?? 0;
  let last = "no answer";
  await withPort(
    reach,
    port,
    (at) =>
      pollUntil(
        async () => {
          const answer = await httpGet(at.host, at.port, "/editor/", 2_000);
          if (answer?.status === 200) return true;
          if (answer) last = `HTTP ${answer.status}`;
          return undefined;
        },
        {
          deadline: accessDeadline(x),
          intervalMs: 250,
          ...(x.ctx.signal ? { signal: x.ctx.signal } : {}),
          onTimeout: () =>
            new ModelboxDevError(
              "READINESS_TIMEOUT",
              `Timed out waiting for the editor at ${editorUrl(connect, port)} (last: ${last}).`,
              "The ModelBox server may still be starting: raise --timeout.",
            ),
        },
      ),
    x.ctx.signal,
  );
  x.editor.ready = true;
  return done(`${x.editor.url} answers`);
};

/** The steps once the container answers: SSH login for root, the ssh config entry, the editor. */
export const ACCESS_STEPS: Record<AccessStepId, StepHandler> = {
  "install-key": installKey,
  "verify-key-login": verifyLogin,
  "ssh-config": sshConfig,
  "set-password": setPassword,
  "developer-mode": developerMode,
  "wait-editor": waitEditor,
};
