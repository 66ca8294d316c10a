import { ModelboxDevError } from "../errors.js";
import type { ContainerEngine, ExecResult } from "../engine/types.js";
import { ROOT_HOME } from "./authorized-keys.js";
import { aclAllowList, withAclEntries } from "./editor-acl.js";
import { httpGet, urlHost } from "./http-probe.js";

/**
 * ModelBox developer mode (R12): `modelbox-tool develop -s` sets up `$HOME/modelbox-service`
 * and starts the server with the editor. The server is not a systemd unit, so after a container
 * restart it has to be started again; its `[acl] allow` list decides who may use the editor.
 */
const SERVICE_HOME = `${ROOT_HOME}/modelbox-service`;
const CONF = `${SERVICE_HOME}/conf/modelbox.conf`;
const CONTROL = `${SERVICE_HOME}/modelbox`;
export const SERVER_LOG = `${SERVICE_HOME}/log/modelbox.log`;

export type DeveloperModeState = "running" | "stopped" | "not-set-up" | "no-modelbox-tool";

function run(
  engine: ContainerEngine,
  id: string,
  cmd: string[],
  extra: { env?: Record<string, string>; stdin?: string } = {},
): Promise<ExecResult> {
  return engine.exec(id, cmd, {
    user: "root",
    env: { HOME: ROOT_HOME, ...extra.env },
    ...(extra.stdin !== undefined ? { stdin: extra.stdin } : {}),
  });
}

function outputLines(result: ExecResult): string[] {
  return `${result.stdout}\n${result.stderr}`
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l !== "")
    .slice(-15)
    .map((l) => `  ${l}`);
}

const STATE_SCRIPT = [
  "command -v modelbox-tool >/dev/null 2>&1 || exit 127",
  `[ -d ${SERVICE_HOME} ] || { echo "state: not set up"; exit 3; }`,
  "exec modelbox-tool develop -q",
].join("\n");

export async function developerModeState(
  engine: ContainerEngine,
  id: string,
): Promise<DeveloperModeState> {
  const result = await run(engine, id, ["sh", "-c", STATE_SCRIPT]);
  if (result.exitCode === 127) return "no-modelbox-tool";
  const state = /^state:\s*(.+?)\s*$/m.exec(result.stdout)?.[1];
  if (state === "not set up") return "not-set-up";
  if (state === "running" || (state === undefined && result.exitCode === 0)) return "running";
  return "stopped";
}

/** The server's last log lines (for a failure message; never throws). */
export async function serverLogTail(
  engine: ContainerEngine,
  id: string,
  lines = 20,
): Promise<string[]> {
  try {
    const result = await run(engine, id, ["tail", "-n", String(lines), SERVER_LOG]);
    return result.exitCode === 0 ? result.stdout.split("\n").filter((l) => l.trim() !== "") : [];
  } catch {
    return [];
  }
}

function failed(what: string, result: ExecResult, logTail: string[] = []): ModelboxDevError {
  return new ModelboxDevError(
    "DEVELOPER_MODE_FAILED",
    `${what} (exit ${result.exitCode}).`,
    "Look at the output below; 'modelbox-dev exec NAME -- modelbox-tool develop -q' shows the server's state.",
    {
      details: [
        ...outputLines(result),
        ...(logTail.length
          ? [`Last lines of ${SERVER_LOG}:`, ...logTail.map((l) => `  ${l}`)]
          : []),
      ],
    },
  );
}

/**
 * `modelbox-tool develop -s`. The tool admits the client in $SSH_CLIENT: given the address the
 * editor's users arrive from, it is right from the start. "Modelbox already exists." means it
 * was set up before, which is fine.
 */
async function setUp(
  engine: ContainerEngine,
  id: string,
  clientAddress: string | undefined,
): Promise<"created" | "existed"> {
  const env: Record<string, string> = clientAddress ? { SSH_CLIENT: `${clientAddress} 0 0` } : {};
  const result = await run(engine, id, ["modelbox-tool", "develop", "-s"], { env });
  if (result.exitCode === 0) return "created";
  if (/Modelbox already exists/i.test(`${result.stdout}\n${result.stderr}`)) return "existed";
  throw failed("modelbox-tool develop -s failed", result, await serverLogTail(engine, id));
}

/** Adds what is missing to `[acl] allow`; returns the entries added (the server must restart). */
async function ensureAcl(
  engine: ContainerEngine,
  id: string,
  wanted: string[],
): Promise<{ added: string[]; allow: string[] }> {
  const read = await run(engine, id, ["cat", CONF]);
  if (read.exitCode !== 0) throw failed(`Cannot read ${CONF}`, read);
  const { text, added } = withAclEntries(read.stdout, wanted);
  if (added.length > 0) {
    const write = await run(
      engine,
      id,
      ["sh", "-c", 'cat > "$1.modelbox-dev" && mv "$1.modelbox-dev" "$1"', "sh", CONF],
      { stdin: text },
    );
    if (write.exitCode !== 0) throw failed(`Cannot write ${CONF}`, write);
  }
  return { added, allow: aclAllowList(text) };
}

async function control(
  engine: ContainerEngine,
  id: string,
  action: "restart" | "stop",
): Promise<void> {
  const result = await run(engine, id, [CONTROL, action]);
  if (result.exitCode !== 0) {
    throw failed(`'${CONTROL} ${action}' failed`, result, await serverLogTail(engine, id));
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
}): Promise<void> {
  const url = editorUrl(options.host, options.port);
  let last = "no answer";
  for (;;) {
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
      const tail = await options.logTail();
      throw new ModelboxDevError(
        "READINESS_TIMEOUT",
        `Timed out waiting for the editor at ${url} (last: ${last}).`,
        "The ModelBox server may still be starting: raise --timeout, or read its log lines below.",
        {
          details: tail.length
            ? [`Last lines of ${SERVER_LOG}:`, ...tail.map((l) => `  ${l}`)]
            : [`(${SERVER_LOG} is empty or missing)`],
        },
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
  /** Only bring back a server set up before (after `start`), never set one up. */
  onlyIfSetUp?: boolean;
  log?: (line: string) => void;
}

export interface DeveloperModeOutcome {
  state: DeveloperModeState;
  /** The editor answered 200 through the published port. */
  ready: boolean;
  allow: string[];
}

/**
 * Turns developer mode on (or back on) and returns once the editor answers 200 from this host.
 * Idempotent: a server already set up has its ACL completed and is restarted only when needed.
 */
export async function enableDeveloperMode(
  engine: ContainerEngine,
  id: string,
  request: DeveloperModeRequest,
): Promise<DeveloperModeOutcome> {
  const log = request.log ?? (() => undefined);
  const before = await developerModeState(engine, id);
  if (before === "no-modelbox-tool" || (before === "not-set-up" && request.onlyIfSetUp)) {
    return { state: before, ready: false, allow: [] };
  }
  let running = before === "running";
  if (before === "not-set-up") {
    log("Setting up ModelBox developer mode (modelbox-tool develop -s)…");
    running = (await setUp(engine, id, request.clientAddress)) === "created" || running;
  }
  const { added, allow } = await ensureAcl(engine, id, request.allow);
  if (!running || added.length > 0) {
    log(
      added.length > 0
        ? `Restarting the ModelBox server to admit ${added.join(", ")}…`
        : "Starting the ModelBox server…",
    );
    await control(engine, id, "restart");
  }
  log(`Waiting for the editor on ${editorUrl(request.editor.host, request.editor.port)}…`);
  await waitForEditor({
    ...request.editor,
    deadline: request.deadline,
    allow,
    logTail: () => serverLogTail(engine, id),
  });
  return { state: "running", ready: true, allow };
}

export async function stopDeveloperMode(
  engine: ContainerEngine,
  id: string,
): Promise<DeveloperModeState> {
  const state = await developerModeState(engine, id);
  if (state === "running") await control(engine, id, "stop");
  return state === "running" ? "stopped" : state;
}
