import { ModelboxDevError } from "../errors.js";
import type { ContainerEngine, ExecResult } from "../engine/types.js";
import { throwIfInterrupted, untilAborted } from "../poll-until.js";
import { type BootUnitState, installBootUnit, disableBootUnit } from "./boot-unit.js";
import { aclAllowList, withAclEntries } from "./editor-acl.js";
import { httpGet, urlHost } from "./http-probe.js";
import {
  type ServerStart,
  editorAnswersInside,
  queryService,
  restartServer,
  serverLog,
  stopServer,
  waitForBoot,
} from "./modelbox-service.js";
import { SERVICE_HOME, execAsRoot, outputLines } from "./service-home.js";

/**
 * ModelBox developer mode (R12): `modelbox-tool develop -s` sets up `$HOME/modelbox-service`
 * and starts the server with the editor; its `[acl] allow` list decides who may use the editor.
 * The server runs when its status line says so *and* the editor port answers inside the
 * container; anything else is "stopped". ModelBox does not start it after a container restart;
 * the boot unit (boot-unit.ts) does.
 */
export const SERVER_LOG = SERVICE_HOME.log;

export type DeveloperModeState = "running" | "stopped" | "not-set-up" | "no-modelbox-tool";

export interface DeveloperModeInspection {
  state: DeveloperModeState;
  bootUnit: BootUnitState;
  /** The line of `HOME/modelbox status`, e.g. "modelbox service is running. pid 42". */
  serviceStatus?: string;
  /** Where the server listens inside the container. */
  listen?: { ip: string; port: number };
  /** An HTTP answer came from that port (asked only when the status line says "running"). */
  answers?: boolean;
}

export async function inspectDeveloperMode(
  engine: ContainerEngine,
  id: string,
): Promise<DeveloperModeInspection> {
  const { tool, bootUnit, query } = await queryService(engine, id);
  if (!tool) return { state: "no-modelbox-tool", bootUnit };
  if (!query?.setUp) return { state: "not-set-up", bootUnit };
  const seen = {
    bootUnit,
    ...(query.serviceStatus !== undefined ? { serviceStatus: query.serviceStatus } : {}),
    ...(query.listen ? { listen: query.listen } : {}),
  };
  if (query.pid === undefined || !query.listen) return { state: "stopped", ...seen };
  const answers = await editorAnswersInside(engine, id, query.listen);
  return { state: answers ? "running" : "stopped", ...seen, answers };
}

export async function developerModeState(
  engine: ContainerEngine,
  id: string,
): Promise<DeveloperModeState> {
  return (await inspectDeveloperMode(engine, id)).state;
}

/** Why a set-up server counts as stopped although its status line says it runs (for people). */
export function stoppedDespiteStatus(
  state: DeveloperModeState,
  server: { status?: string; port?: number; answers?: boolean },
): string | undefined {
  if (state !== "stopped" || server.answers !== false) return undefined;
  return `its status says "${server.status ?? ""}", but nothing answers on port ${server.port ?? "?"} inside the container (the pid file names another process, or the server hangs)`;
}

function lastLogLines(lines: string[]): string[] {
  return lines.length
    ? [`Last lines of ${SERVER_LOG}:`, ...lines.map((l) => `  ${l}`)]
    : [`(${SERVER_LOG} is empty or missing)`];
}

function logLinesOfThisStart(lines: string[]): string[] {
  return lines.length
    ? [`Log lines of this start (${SERVER_LOG}):`, ...lines.map((l) => `  ${l}`)]
    : [`(nothing was written to ${SERVER_LOG} by this start)`];
}

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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until the server started by `start` answers inside the container. A server whose status
 * line keeps saying "not running" has died: that ends the wait early. The error carries the log
 * lines written since this start, not older ones.
 */
async function waitForServer(
  engine: ContainerEngine,
  id: string,
  start: ServerStart,
  deadline: number,
  signal?: AbortSignal,
): Promise<void> {
  let down = 0;
  for (;;) {
    throwIfInterrupted(signal);
    const now = await inspectDeveloperMode(engine, id);
    if (now.state === "running") return;
    down = now.serviceStatus !== undefined && !/is running/.test(now.serviceStatus) ? down + 1 : 0;
    if (down >= 3 || Date.now() > deadline) {
      const why =
        down >= 3
          ? `its status says "${now.serviceStatus}"`
          : `nothing answers on port ${now.listen?.port ?? "?"} inside the container`;
      const lines = await serverLog(engine, id, { offset: start.logOffset });
      throw new ModelboxDevError(
        "DEVELOPER_MODE_FAILED",
        `The ModelBox server did not start: ${why}.`,
        "The server's log lines say why; once that is fixed, 'modelbox-dev develop NAME' starts it again.",
        {
          details: [
            ...(start.result ? outputLines(start.result) : []),
            ...logLinesOfThisStart(lines),
          ],
        },
      );
    }
    await sleep(500);
  }
}

export function editorUrl(host: string, port: number): string {
  return `http://${urlHost(host)}:${port}/editor/`;
}

/** Polls `GET /editor/` through the published port until it answers 200. */
export async function waitForEditor(options: {
  host: string;
  port: number;
  deadline: number;
  allow: string[];
  logTail: () => Promise<string[]>;
  pollMs?: number;
  signal?: AbortSignal;
}): Promise<void> {
  const url = editorUrl(options.host, options.port);
  let last = "no answer";
  for (;;) {
    throwIfInterrupted(options.signal);
    const answer = await httpGet(options.host, options.port, "/editor/", 2_000);
    if (answer?.status === 200) return;
    if (answer?.status === 403) {
      // The server was (re)started with this ACL just now: a refusal will not go away.
      throw new ModelboxDevError(
        "DEVELOPER_MODE_FAILED",
        `The editor at ${url} refuses this host (403 ${answer.body.trim() || "Access Denied"}).`,
        "Its [acl] allow list does not admit the address this host's requests arrive from; add it with 'modelbox-dev develop NAME --editor-allow CIDR'.",
        { details: [`allowed now: ${options.allow.join(", ")}`] },
      );
    }
    if (answer) last = `HTTP ${answer.status}`;
    if (Date.now() > options.deadline) {
      throw new ModelboxDevError(
        "READINESS_TIMEOUT",
        `Timed out waiting for the editor at ${url} (last: ${last}).`,
        "The server answers inside the container, so the published port does not reach it: check the port mapping, or raise --timeout.",
        { details: lastLogLines(await options.logTail()) },
      );
    }
    await new Promise((r) => setTimeout(r, options.pollMs ?? 250));
  }
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
  let seen = await inspectDeveloperMode(engine, id);
  const promised = seen.state !== "not-set-up" && seen.bootUnit !== "disabled";
  if (seen.state === "no-modelbox-tool" || (request.onlyIfPromised && !promised)) {
    return { state: seen.state, ready: false, allow: [] };
  }
  // A server started here (by `develop -s` or a restart), with the log offset of that start.
  let started: ServerStart | undefined;
  if (seen.state === "not-set-up") {
    log("Setting up ModelBox developer mode (modelbox-tool develop -s)…");
    if ((await setUp(engine, id, request.clientAddress)) === "created") {
      started = { logOffset: 0 };
    }
  }
  const { added, allow } = await ensureAcl(engine, id, request.allow);
  const startsAtBoot = await installBootUnit(engine, id);
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
  if (started) await waitForServer(engine, id, started, request.deadline, request.signal);
  log(`Waiting for the editor on ${editorUrl(request.editor.host, request.editor.port)}…`);
  const offset = started?.logOffset;
  await waitForEditor({
    ...request.editor,
    deadline: request.deadline,
    allow,
    ...(request.signal ? { signal: request.signal } : {}),
    logTail: () => serverLog(engine, id, offset !== undefined ? { offset } : {}),
  });
  return { state: "running", ready: true, allow, startsAtBoot };
}

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
