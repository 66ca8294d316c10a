/**
 * What `modelbox-tool develop -q` prints, read as facts. The real tool exits 0 whether or not
 * the server runs, and its status line only says that the pid in `HOME/run/modelbox.pid` names
 * a live process, any process: after a container restart a stale pid can name another one. So
 * the line is one witness; the editor port answering inside the container is the other.
 */

export interface DevelopQuery {
  /** False when the tool says "Debug modelbox not found" (no home, control script or conf). */
  setUp: boolean;
  /** The line of `HOME/modelbox status` ("modelbox service is running. pid 42"). */
  serviceStatus?: string;
  /** The pid the status line names, when it says "running". */
  pid?: number;
  managerStatus?: string;
  /** From "UI URL: http://IP:PORT/editor/": where the server listens inside the container. */
  listen?: { ip: string; port: number };
}

const NOT_FOUND = /Debug modelbox not found/;
const SERVICE = /^\s*Service Status:\s*(.*?)\s*$/m;
const MANAGER = /^\s*Manager Status:\s*(.*?)\s*$/m;
const RUNNING = /^modelbox service is running\. pid (\d+)$/;
const UI_URL = /^\s*UI URL:\s*http:\/\/(\[[^\]]+\]|[^/:\s]+):(\d{1,5})\//m;

export function parseDevelopQuery(output: string): DevelopQuery {
  if (NOT_FOUND.test(output)) return { setUp: false };
  const serviceStatus = SERVICE.exec(output)?.[1];
  const managerStatus = MANAGER.exec(output)?.[1];
  const pid = serviceStatus === undefined ? undefined : RUNNING.exec(serviceStatus)?.[1];
  const url = UI_URL.exec(output);
  const port = Number(url?.[2]);
  return {
    setUp: true,
    ...(serviceStatus !== undefined ? { serviceStatus } : {}),
    ...(pid !== undefined ? { pid: Number(pid) } : {}),
    ...(managerStatus !== undefined ? { managerStatus } : {}),
    ...(url && port >= 1 && port <= 65535
      ? { listen: { ip: (url[1] ?? "").replace(/^\[|\]$/g, ""), port } }
      : {}),
  };
}

/** An HTTP status line ("HTTP/1.0 200 OK") is an answer; a bare connect or silence is not. */
export function isHttpStatusLine(line: string): boolean {
  return /^HTTP\/\d(\.\d)? \d{3}\b/.test(line.trim());
}
