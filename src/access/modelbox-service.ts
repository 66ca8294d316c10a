import type { ContainerEngine, ExecResult } from "../engine/types.js";
import { reachableAddress } from "../connect-address.js";
import { BOOT_UNIT_STATE_SCRIPT, type BootUnitState, parseBootUnitState } from "./boot-unit.js";
import { type DevelopQuery, isHttpStatusLine, parseDevelopQuery } from "./develop-query.js";
import { DROP_STALE_PID_FILES, SERVICE_HOME, execAsRoot } from "./service-home.js";

/**
 * The ModelBox server of developer mode, seen and driven from inside the container through
 * `modelbox-tool develop -q` and the home's control scripts.
 */

export interface ServiceQuery {
  tool: boolean;
  bootUnit: BootUnitState;
  /** Undefined when the home does not exist (never set up). */
  query?: DevelopQuery;
}

const QUERY_SCRIPT = [
  "command -v modelbox-tool >/dev/null 2>&1 || exit 127",
  BOOT_UNIT_STATE_SCRIPT,
  '[ -d "$1" ] || exit 3',
  "modelbox-tool develop -q",
].join("\n");

export async function queryService(engine: ContainerEngine, id: string): Promise<ServiceQuery> {
  const result = await execAsRoot(engine, id, ["sh", "-c", QUERY_SCRIPT, "sh", SERVICE_HOME.dir]);
  if (result.exitCode === 127) return { tool: false, bootUnit: "absent" };
  const bootUnit = parseBootUnitState(result.stdout);
  if (result.exitCode === 3) return { tool: true, bootUnit };
  return { tool: true, bootUnit, query: parseDevelopQuery(result.stdout) };
}

/**
 * bash, because /dev/tcp is there in every ModelBox image (curl is not in every one): one GET
 * to the editor port, printing the status line that comes back.
 */
const PROBE_SCRIPT = [
  'exec 3<>"/dev/tcp/$1/$2" || exit 1',
  'printf \'GET /editor/ HTTP/1.0\\r\\nHost: %s:%s\\r\\n\\r\\n\' "$1" "$2" >&3',
  "IFS= read -r line <&3 || exit 1",
  "printf '%s\\n' \"$line\"",
].join("\n");

/** Whether an HTTP answer comes from the editor port, asked from inside the container. */
export async function editorAnswersInside(
  engine: ContainerEngine,
  id: string,
  listen: { ip: string; port: number },
): Promise<boolean> {
  const address = reachableAddress(listen.ip);
  const result = await execAsRoot(engine, id, [
    "timeout",
    "3",
    "bash",
    "-c",
    PROBE_SCRIPT,
    "probe",
    address,
    String(listen.port),
  ]);
  return result.exitCode === 0 && isHttpStatusLine(result.stdout);
}

export interface ServerStart {
  /** The server log's size before this start: what came after is this start's. */
  logOffset: number;
  /** What the control scripts printed (none for `develop -s`, which starts it itself). */
  result?: ExecResult;
}

/**
 * (Re)starts the server as `develop -s` does, without its stale-pid hazards: pid files that
 * name another process go first, the manager (which would restart the server on its own, and
 * stops it when stopped) is stopped around `HOME/modelbox restart` and started after it.
 */
const RESTART_SCRIPT = [
  DROP_STALE_PID_FILES,
  'printf "log-size: %s\\n" "$(wc -c < "$1/log/modelbox.log" 2>/dev/null || echo 0)"',
  '[ -x "$1/modelbox-manager" ] && "$1/modelbox-manager" stop >/dev/null 2>&1',
  '"$1/modelbox" restart',
  "rc=$?",
  '[ -x "$1/modelbox-manager" ] && "$1/modelbox-manager" start >/dev/null 2>&1',
  'exit "$rc"',
].join("\n");

export async function restartServer(engine: ContainerEngine, id: string): Promise<ServerStart> {
  const result = await execAsRoot(engine, id, ["sh", "-c", RESTART_SCRIPT, "sh", SERVICE_HOME.dir]);
  const size = /^log-size: *(\d+)\s*$/m.exec(result.stdout)?.[1];
  const stdout = result.stdout.replace(/^log-size:.*\n?/m, "");
  return { logOffset: Number(size ?? 0), result: { ...result, stdout } };
}

const STOP_SCRIPT = [
  DROP_STALE_PID_FILES,
  '[ -x "$1/modelbox-manager" ] && "$1/modelbox-manager" stop >/dev/null 2>&1',
  'exec "$1/modelbox" stop',
].join("\n");

/** Stops the manager, then the server (the manager would start it again). */
export function stopServer(engine: ContainerEngine, id: string): Promise<ExecResult> {
  return execAsRoot(engine, id, ["sh", "-c", STOP_SCRIPT, "sh", SERVICE_HOME.dir]);
}

const LOG_SINCE_SCRIPT = [
  'size=$(wc -c < "$2" 2>/dev/null) || exit 0',
  // A log that shrank was rotated: all of it is new.
  '[ "$size" -ge "$1" ] && from=$(($1 + 1)) || from=1',
  'tail -c +"$from" "$2" | tail -n "$3"',
].join("\n");

/**
 * The server's log lines after `offset` (the last `lines` of them), or its last lines when no
 * offset is given. Never throws: this is for a failure message.
 */
export async function serverLog(
  engine: ContainerEngine,
  id: string,
  options: { offset?: number; lines?: number } = {},
): Promise<string[]> {
  const lines = String(options.lines ?? 20);
  try {
    const result =
      options.offset === undefined
        ? await execAsRoot(engine, id, ["tail", "-n", lines, SERVICE_HOME.log])
        : await execAsRoot(engine, id, [
            "sh",
            "-c",
            LOG_SINCE_SCRIPT,
            "sh",
            String(options.offset),
            SERVICE_HOME.log,
            lines,
          ]);
    return result.exitCode === 0 ? result.stdout.split("\n").filter((l) => l.trim() !== "") : [];
  } catch {
    return [];
  }
}

/**
 * Waits (within the deadline) until systemd has finished booting, so that a boot unit that
 * starts the server has run. Returns at once where systemd is not PID 1.
 */
export async function waitForBoot(
  engine: ContainerEngine,
  id: string,
  deadline: number,
): Promise<void> {
  const seconds = Math.max(1, Math.ceil((deadline - Date.now()) / 1000));
  await execAsRoot(engine, id, [
    "sh",
    "-c",
    '[ -d /run/systemd/system ] || exit 0; timeout "$1" systemctl is-system-running --wait >/dev/null 2>&1; exit 0',
    "sh",
    String(seconds),
  ]);
}
