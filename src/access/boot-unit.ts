import type { ContainerEngine } from "../engine/types.js";
import { ROOT_HOME } from "./authorized-keys.js";
import { DROP_STALE_PID_FILES, SERVICE_HOME, execAsRoot } from "./service-home.js";

/**
 * In ModelBox's develop images nothing starts the developer-mode server after a container
 * restart. modelbox-dev installs a small systemd unit that does, with the home's control
 * scripts, so the editor comes back after `docker start`, a daemon restart or a reboot.
 * `develop NAME --stop` disables it (the editor stays off), `develop NAME` enables it again.
 */
export const BOOT_UNIT = "modelbox-dev-editor.service";
const UNIT_PATH = `/etc/systemd/system/${BOOT_UNIT}`;
const WANTS_LINK = `/etc/systemd/system/multi-user.target.wants/${BOOT_UNIT}`;

/** enabled: starts at boot; disabled: installed, but stopped on purpose; unavailable: systemd is not PID 1. */
export type BootUnitState = "enabled" | "disabled" | "absent" | "unavailable";

/** sh printing `boot-unit: STATE` (a line of the developer-mode query). */
export const BOOT_UNIT_STATE_SCRIPT = [
  'if [ ! -d /run/systemd/system ]; then echo "boot-unit: unavailable"',
  `elif [ -L ${WANTS_LINK} ]; then echo "boot-unit: enabled"`,
  `elif [ -f ${UNIT_PATH} ]; then echo "boot-unit: disabled"`,
  'else echo "boot-unit: absent"; fi',
].join("\n");

export function parseBootUnitState(output: string): BootUnitState {
  const state = /^boot-unit: (\w+)$/m.exec(output)?.[1];
  return state === "enabled" || state === "disabled" || state === "unavailable" ? state : "absent";
}

/** Variable names in /proc/1/environ (NUL-separated NAME=value), minus systemd's own. */
export function environmentNames(environ: string): string[] {
  const own = new Set(["container", "container_uuid", "NOTIFY_SOCKET", "TERM", "HOME"]);
  const names = environ
    .split("\0")
    .map((entry) => entry.slice(0, entry.indexOf("=")))
    .filter((name) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !own.has(name));
  return [...new Set(names)].sort();
}

/** One argument of an Exec line: systemd expands $ and % specifiers and reads C escapes. */
export function systemdQuote(text: string): string {
  if (/['\n]/.test(text)) throw new Error("systemdQuote: no single quotes or newlines");
  return `'${text.replace(/\\/g, "\\\\").replace(/\$/g, "$$$$").replace(/%/g, "%%")}'`;
}

/**
 * The unit. The server's environment is the container's (PassEnvironment= of PID 1's variables):
 * a `docker exec` that runs `develop -s` gets it, and ModelBox's images put PATH,
 * LD_LIBRARY_PATH and NVIDIA_* there. Oneshot with RemainAfterExit, so the daemons the control
 * scripts start stay in the unit until it stops, which stops them gracefully.
 */
export function bootUnitText(passEnvironment: string[]): string {
  const { dir, control, managerControl } = SERVICE_HOME;
  return [
    `# Installed by modelbox-dev: starts the ModelBox server of developer mode (the editor) at boot,`,
    `# as 'modelbox-tool develop -s' set it up in ${dir}.`,
    `# 'modelbox-dev develop NAME --stop' disables it; 'modelbox-dev develop NAME' enables it again.`,
    "[Unit]",
    "Description=ModelBox server for the editor (developer mode, set up by modelbox-dev)",
    "After=network.target",
    `ConditionFileIsExecutable=${control}`,
    "",
    "[Service]",
    "Type=oneshot",
    "RemainAfterExit=yes",
    `Environment=HOME=${ROOT_HOME}`,
    ...(passEnvironment.length > 0 ? [`PassEnvironment=${passEnvironment.join(" ")}`] : []),
    `ExecStartPre=/bin/sh -c ${systemdQuote(DROP_STALE_PID_FILES)} sh ${dir}`,
    `ExecStart=${control} start`,
    `ExecStart=-${managerControl} start`,
    `ExecStop=-${managerControl} stop`,
    `ExecStop=${control} stop`,
    "TimeoutStartSec=90",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}

const INSTALL_SCRIPT = [
  "[ -d /run/systemd/system ] || exit 3",
  `[ -f ${UNIT_PATH} ] && existed=1 || existed=0`,
  `cat > ${UNIT_PATH}.modelbox-dev || exit 1`,
  `if cmp -s ${UNIT_PATH}.modelbox-dev ${UNIT_PATH}; then rm -f ${UNIT_PATH}.modelbox-dev; changed=0;`,
  `else mv ${UNIT_PATH}.modelbox-dev ${UNIT_PATH} || exit 1; changed=1; fi`,
  `mkdir -p ${WANTS_LINK.slice(0, WANTS_LINK.lastIndexOf("/"))} && ln -sfn ${UNIT_PATH} ${WANTS_LINK} || exit 1`,
  // systemd reads a new unit when it is first asked about it, and at boot; only a changed one
  // that it may have loaded already needs a reload (which takes seconds on a busy host).
  '[ "$existed$changed" = 11 ] && systemctl daemon-reload >/dev/null 2>&1',
  "exit 0",
].join("\n");

/** The names of PID 1's variables, which the unit passes on to the server (none if unreadable). */
export async function readEnvironmentNames(engine: ContainerEngine, id: string): Promise<string[]> {
  const environ = await execAsRoot(engine, id, ["cat", "/proc/1/environ"]);
  return environ.exitCode === 0 ? environmentNames(environ.stdout) : [];
}

/**
 * Installs and enables the unit; false when systemd is not PID 1 (nothing would start it) or
 * the container refuses the files (never fatal: developer mode works, only not after a restart).
 */
export async function installBootUnit(
  engine: ContainerEngine,
  id: string,
  environmentOfPid1: Promise<string[]> = readEnvironmentNames(engine, id),
  options: { ifModelboxTool?: boolean } = {},
): Promise<boolean> {
  const names = await environmentOfPid1;
  // Installed beside `develop -s` (not after it), it must not land in an image without ModelBox.
  const script = options.ifModelboxTool
    ? `command -v modelbox-tool >/dev/null 2>&1 || exit 4\n${INSTALL_SCRIPT}`
    : INSTALL_SCRIPT;
  const result = await execAsRoot(engine, id, ["sh", "-c", script], {
    stdin: bootUnitText(names),
  });
  return result.exitCode === 0;
}

/** Stops the unit from starting the server at the next boot (the file stays, as a record). */
export async function disableBootUnit(engine: ContainerEngine, id: string): Promise<void> {
  await execAsRoot(engine, id, ["rm", "-f", WANTS_LINK]);
}
