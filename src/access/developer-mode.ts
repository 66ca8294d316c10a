import { setTimeout as sleep } from "node:timers/promises";
import { ModelboxDevError } from "../errors.js";
import type { ContainerEngine, ExecResult } from "../engine/types.js";
import { untilAborted } from "../poll-until.js";
import { disableBootUnit, installBootUnit, readEnvironmentNames } from "./boot-unit.js";
import {
  type DeveloperModeInspection,
  type DeveloperModeState,
  inspectDeveloperMode,
} from "./developer-mode-state.js";
import { aclAllowList, withAclEntries } from "./editor-acl.js";
import {
  type ServerStart,
  restartServer,
  serverLog,
  stopServer,
  waitForBoot,
} from "./modelbox-service.js";
import { editorUrl, lastLogLines, waitForEditor, waitForServer } from "./server-waits.js";
import { SERVICE_HOME, execAsRoot, outputLines } from "./service-home.js";

/**
 * ModelBox developer mode (R12): `modelbox-tool develop -s` sets up `$HOME/modelbox-service`
 * and starts the server with the editor; its `[acl] allow` list decides who may use the editor.
 * The server runs when its status line says so *and* the editor port answers inside the
 * container; anything else is "stopped". ModelBox does not start it after a container restart;
 * the boot unit (boot-unit.ts) does.
 */
export { SERVER_LOG, editorUrl, waitForEditor } from "./server-waits.js";
export {
  type DeveloperModeInspection,
  type DeveloperModeState,
  developerModeState,
  inspectDeveloperMode,
  stoppedDespiteStatus,
} from "./developer-mode-state.js";

function failed(what: string, result: ExecResult, logTail: string[] = []): ModelboxDevError {
  return new ModelboxDevError(
    "DEVELOPER_MODE_FAILED",
    `${what} (exit ${result.exitCode}).`,
    "Look at the output below; 'modelbox-dev exec NAME -- modelbox-tool develop -q' shows the server's state.",
    {
      details: [...outputLines(result), ...(logTail.length ? lastLogLines(logTail) : [])],
    },
  );
}

/**
 * `modelbox-tool develop -s`. The tool admits the client in $SSH_CLIENT: given the address the
 * editor's users arrive from, it is right from the start. It starts the server itself; its exit
 * code is the manager's status, so whether the server runs is judged afterwards.
 */
async function setUp(
  engine: ContainerEngine,
  id: string,
  clientAddress: string | undefined,
): Promise<"created" | "existed"> {
  const env: Record<string, string> = clientAddress ? { SSH_CLIENT: `${clientAddress} 0 0` } : {};
  const result = await execAsRoot(engine, id, ["modelbox-tool", "develop", "-s"], { env });
  const output = `${result.stdout}\n${result.stderr}`;
  if (/^Starting modelbox at /m.test(output)) return "created";
  if (/Modelbox already exists/i.test(output)) return "existed";
  throw failed("modelbox-tool develop -s failed", result, await serverLog(engine, id));
}

/** Adds what is missing to `[acl] allow`; returns the entries added (the server must restart). */
async function ensureAcl(
  engine: ContainerEngine,
  id: string,
  wanted: string[],
): Promise<{ added: string[]; allow: string[] }> {
  const conf = SERVICE_HOME.conf;
  const read = await execAsRoot(engine, id, ["cat", conf]);
  if (read.exitCode !== 0) throw failed(`Cannot read ${conf}`, read);
  const { text, added } = withAclEntries(read.stdout, wanted);
  if (added.length > 0) {
    const write = await execAsRoot(
      engine,
      id,
      ["sh", "-c", 'cat > "$1.modelbox-dev" && mv "$1.modelbox-dev" "$1"', "sh", conf],
      { stdin: text },
    );
    if (write.exitCode !== 0) throw failed(`Cannot write ${conf}`, write);
  }
  return { added, allow: aclAllowList(text) };
}

export interface DeveloperModeRequest {
  /** Addresses/CIDRs the editor must admit (the bridge gateway, --editor-allow, …). */
  allow: string[];
  /** Given to `develop -s` as $SSH_CLIENT: the address the real tool adds to the ACL. */
  clientAddress?: string;
  /** Where this host reaches the editor's published port. */
  editor: { host: string; port: number };
  deadline: number;
  /**
   * Nothing of developer mode can be there yet: a new container whose /root is new too. The
   * first look (an exec) is skipped and `develop -s` runs at once; when it fails, a look tells
   * an image without modelbox-tool apart.
   */
  fresh?: boolean;
  /**
   * Only bring back a server that was promised (after `start`): one set up and not stopped on
   * purpose with `develop --stop`. Never set one up.
   */
  onlyIfPromised?: boolean;
  log?: (line: string) => void;
  /** Aborting ends the waits at once with INTERRUPTED. */
  signal?: AbortSignal;
}

export interface DeveloperModeOutcome {
  state: DeveloperModeState;
  /** The editor answered 200 through the published port. */
  ready: boolean;
  allow: string[];
  /** The boot unit is installed and enabled: the editor comes back after a restart. */
  startsAtBoot?: boolean;
}

/**
 * Turns developer mode on (or back on) and returns once the editor answers 200 from this host.
 * Idempotent: a server already running has its ACL completed and is restarted only when needed.
 * A server that should run and does not come back is an error with its log lines.
 */
export async function enableDeveloperMode(
  engine: ContainerEngine,
  id: string,
  request: DeveloperModeRequest,
): Promise<DeveloperModeOutcome> {
  const log = request.log ?? (() => undefined);
  const seen: DeveloperModeInspection = request.fresh
    ? { state: "not-set-up", bootUnit: "absent" }
    : await inspectDeveloperMode(engine, id);
  const promised = seen.state !== "not-set-up" && seen.bootUnit !== "disabled";
  if (seen.state === "no-modelbox-tool" || (request.onlyIfPromised && !promised)) {
    return { state: seen.state, ready: false, allow: [] };
  }
  // A server started here (by `develop -s` or a restart), with the log offset of that start.
  let started: ServerStart | undefined;
  // What the boot unit needs to read is read while `develop -s` runs (it changes nothing); a
  // failed read fails the boot unit's install below, as it did when read there.
  const environmentOfPid1 = readEnvironmentNames(engine, id);
  environmentOfPid1.catch(() => undefined);
  let bootUnitInstall: Promise<boolean> | undefined;
  if (seen.state === "not-set-up") {
    log("Setting up ModelBox developer mode (modelbox-tool develop -s)…");
    const settingUp = setUp(engine, id, request.clientAddress);
    // In a new container the boot unit goes in while `develop -s` runs (it starts nothing; a
    // failed `develop -s` fails `up`, which removes the container).
    if (request.fresh) {
      bootUnitInstall = installBootUnit(engine, id, environmentOfPid1, { ifModelboxTool: true });
      bootUnitInstall.catch(() => undefined);
    }
    const made = await settingUp.catch(async (err: unknown) => {
      // Not looked at first: an image without modelbox-tool is told apart from a failure now.
      if (request.fresh && (await inspectDeveloperMode(engine, id)).state === "no-modelbox-tool") {
        return "no-modelbox-tool" as const;
      }
      throw err;
    });
    if (made === "no-modelbox-tool") return { state: made, ready: false, allow: [] };
    if (made === "created") started = { logOffset: 0 };
  }
  // A server `develop -s` just started admits the client address it was given, as a rule: the
  // editor's wait begins beside the ACL's read (one exec, ~100 ms), and counts only if nothing
  // had to be added (else the server restarts below, and this wait is dropped).
  const early = started ? new AbortController() : undefined;
  const earlyWait =
    started && early
      ? editorOrDeadServer(engine, id, started, {
          ...request,
          signal: request.signal ? AbortSignal.any([request.signal, early.signal]) : early.signal,
        })
      : undefined;
  earlyWait?.catch(() => undefined);
  try {
    // The ACL and the boot unit are separate files: both go at once (each exec is a round of
    // calls); both end before a failure is reported, the ACL's first.
    const [acl, bootUnit] = await Promise.allSettled([
      ensureAcl(engine, id, request.allow),
      bootUnitInstall ?? installBootUnit(engine, id, environmentOfPid1),
    ]);
    if (acl.status === "rejected") throw acl.reason;
    if (bootUnit.status === "rejected") throw bootUnit.reason;
    const { added, allow } = acl.value;
    const startsAtBoot = bootUnit.value;
    if (earlyWait && added.length === 0) {
      log(`Waiting for the editor on ${editorUrl(request.editor.host, request.editor.port)}…`);
      await earlyWait;
      return { state: "running", ready: true, allow, startsAtBoot };
    }
    return await finishDeveloperMode(engine, id, request, {
      seen,
      started,
      added,
      allow,
      startsAtBoot,
    });
  } finally {
    early?.abort();
  }
}

/** After the ACL: wait for a booting server, (re)start it if it must, then wait for the editor. */
async function finishDeveloperMode(
  engine: ContainerEngine,
  id: string,
  request: DeveloperModeRequest,
  state: {
    seen: DeveloperModeInspection;
    started: ServerStart | undefined;
    added: string[];
    allow: string[];
    startsAtBoot: boolean;
  },
): Promise<DeveloperModeOutcome> {
  const log = request.log ?? (() => undefined);
  const { added, allow, startsAtBoot } = state;
  let { seen, started } = state;
  if (!started && seen.state !== "running" && seen.bootUnit === "enabled") {
    // The container may have just started: the boot unit may be starting the server right now.
    await untilAborted(waitForBoot(engine, id, request.deadline), request.signal);
    seen = await inspectDeveloperMode(engine, id);
  }
  if (added.length > 0 || (!started && seen.state !== "running")) {
    log(
      added.length > 0
        ? `Restarting the ModelBox server to admit ${added.join(", ")}…`
        : "Starting the ModelBox server…",
    );
    started = await restartServer(engine, id);
  }
  log(`Waiting for the editor on ${editorUrl(request.editor.host, request.editor.port)}…`);
  await editorOrDeadServer(engine, id, started, { ...request, allow });
  return { state: "running", ready: true, allow, startsAtBoot };
}

/**
 * Until the editor answers 200 through the published port. A server started here is watched
 * meanwhile, so one that dies ends the wait at once with its log lines; the watch costs execs
 * that an editor answering at once (the usual case) never needs, so it does not come first.
 */
async function editorOrDeadServer(
  engine: ContainerEngine,
  id: string,
  started: ServerStart | undefined,
  request: DeveloperModeRequest,
): Promise<void> {
  const stop = new AbortController();
  const signal = request.signal ? AbortSignal.any([request.signal, stop.signal]) : stop.signal;
  const offset = started?.logOffset;
  const editor = waitForEditor({
    ...request.editor,
    // A server that never answers is reported as such, not as an editor out of reach.
    deadline: started ? request.deadline + SERVER_VERDICT_MS : request.deadline,
    allow: request.allow,
    signal,
    logTail: () => serverLog(engine, id, offset !== undefined ? { offset } : {}),
  });
  // Only the watch's failure counts: a server seen running leaves the wait to the editor.
  // Without a server started here (it already ran), the editor's wait is all there is.
  const serverDied = started
    ? sleep(WATCH_AFTER_MS, undefined, { signal })
        .then(() => waitForServer(engine, id, started, request.deadline, signal))
        .then(() => editor)
    : undefined;
  try {
    await (serverDied ? Promise.race([editor, serverDied]) : editor);
  } finally {
    stop.abort();
    editor.catch(() => undefined);
    serverDied?.catch(() => undefined);
  }
}

/** The watch begins once the editor has not answered for this long. */
const WATCH_AFTER_MS = 1_000;

/** How much longer the editor's wait runs than the server's, so the server's verdict comes first. */
const SERVER_VERDICT_MS = 1_000;

/**
 * Stops the server and its manager, and keeps the boot unit from starting it again; a server
 * whose pid file names another process is left alone (that process is not signalled).
 */
export async function stopDeveloperMode(
  engine: ContainerEngine,
  id: string,
): Promise<DeveloperModeState> {
  const { state } = await inspectDeveloperMode(engine, id);
  if (state === "no-modelbox-tool" || state === "not-set-up") return state;
  await disableBootUnit(engine, id);
  const result = await stopServer(engine, id);
  if (result.exitCode !== 0) {
    throw failed(`'${SERVICE_HOME.control} stop' failed`, result, await serverLog(engine, id));
  }
  return "stopped";
}
