/**
 * What ModelBox's own scripts print, string for string (modelbox-ai/modelbox at faa1e931:
 * src/modelbox/server/bin/develop and src/modelbox/server/etc/init.d/modelbox.in). The fixture's
 * stand-in is checked against these, so that what passes against the fixture passes against a
 * real develop image.
 */

export const DEVELOP = {
  alreadyExists: "Modelbox already exists.",
  directoryExists: (home: string) =>
    `Directory ${home} already exists, please choose another one with --home argument.`,
  portUsed: (port: number) => [
    `Port ${port} already used by other service or you have no permisson.`,
    "Please choose another port with --port [port] option.",
    "Or stop related service.",
  ],
  warningStart: "Warning: This command will make modelbox listen 0.0.0.0",
  starting: (home: string, user: string) => `Starting modelbox at ${home} for ${user}:`,
  notFound:
    "Debug modelbox not found, please run -s to setup, or sepcify home with --home run again.",
  /** The info block of -s and -q; `root` only when MODELBOX_ROOT is not "". */
  info: (o: { home: string; ip: string; port: number; root?: string }) => [
    "Debug ModelBox Info:",
    ...(o.root ? [`  Modelbox Root:   ${o.root}`] : []),
    `  Home:            ${o.home}`,
    `  Config:          ${o.home}/conf/modelbox.conf`,
    `  Log:             ${o.home}/log`,
    `  Service command: ${o.home}/modelbox {start|stop|restart|status}`,
    `  Manager command: ${o.home}/modelbox-manager {start|stop|restart|status}`,
    `  Tool Command:    modelbox-tool server -conf ${o.home}/conf/modelbox.conf`,
    `  UI URL:          http://${o.ip}:${o.port}/editor/`,
  ],
  serviceStatus: (line: string) => `  Service Status:  ${line}`,
  managerStatus: (line: string) => `  Manager Status:  ${line}`,
};

/** `HOME/modelbox` (and, with "modelbox-manager service", `HOME/modelbox-manager`). */
export const CONTROL = {
  startSuccess: "start modelbox service success.",
  startFailed: "start modelbox service failed.",
  stoppedNoPidFile: "modelbox service is stopped.",
  stoppedDeadPid: "modelbox service is stopped",
  stopSuccess: "stop modelbox service success.",
  notRunning: "modelbox service is not running.",
  running: (pid: number | string) => `modelbox service is running. pid ${pid}`,
  usage: (script: string) => `Usage: ${script} {start|exec|stop|restart|status}`,
  managerRunning: (pid: number | string) => `modelbox-manager service is running. pid ${pid}`,
  managerNotRunning: "modelbox-manager service is not running.",
  managerStopSuccess: "stop modelbox-manager service success.",
};

/** The editor's refusal of a client outside `[acl] allow`. */
export const ACCESS_DENIED = { status: 403, body: "Access Denied" };
