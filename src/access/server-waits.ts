import { ModelboxDevError } from "../errors.js";
import type { ContainerEngine } from "../engine/types.js";
import { pollUntil } from "../poll-until.js";
import { type DeveloperModeInspection, inspectDeveloperMode } from "./developer-mode-state.js";
import { httpGet, urlHost } from "./http-probe.js";
import { type ServerStart, serverLog } from "./modelbox-service.js";
import { SERVICE_HOME, outputLines } from "./service-home.js";

/**
 * Developer mode's two waits: for the server inside the container, then for the editor through
 * the published port from this host.
 */

export const SERVER_LOG = SERVICE_HOME.log;

export function lastLogLines(lines: string[]): string[] {
  return lines.length
    ? [`Last lines of ${SERVER_LOG}:`, ...lines.map((l) => `  ${l}`)]
    : [`(${SERVER_LOG} is empty or missing)`];
}

function logLinesOfThisStart(lines: string[]): string[] {
  return lines.length
    ? [`Log lines of this start (${SERVER_LOG}):`, ...lines.map((l) => `  ${l}`)]
    : [`(nothing was written to ${SERVER_LOG} by this start)`];
}

/**
 * Waits until the server started by `start` answers inside the container. A server whose status
 * line keeps saying "not running" has died: that ends the wait early. The error carries the log
 * lines written since this start, not older ones.
 */
export async function waitForServer(
  engine: ContainerEngine,
  id: string,
  start: ServerStart,
  deadline: number,
  signal?: AbortSignal,
): Promise<void> {
  let down = 0;
  let last: DeveloperModeInspection | undefined;
  const didNotStart = async (why: string) =>
    new ModelboxDevError(
      "DEVELOPER_MODE_FAILED",
      `The ModelBox server did not start: ${why}.`,
      "The server's log lines say why; once that is fixed, 'modelbox-dev develop NAME' starts it again.",
      {
        details: [
          ...(start.result ? outputLines(start.result) : []),
          ...logLinesOfThisStart(await serverLog(engine, id, { offset: start.logOffset })),
        ],
      },
    );
  await pollUntil(
    async () => {
      last = await inspectDeveloperMode(engine, id);
      if (last.state === "running") return true;
      const dead = last.serviceStatus !== undefined && !/is running/.test(last.serviceStatus);
      down = dead ? down + 1 : 0;
      // Seen dead three times in a row (the manager may have tried again in between): it died.
      if (down >= 3) throw await didNotStart(`its status says "${last.serviceStatus}"`);
      return undefined;
    },
    {
      deadline,
      intervalMs: 500,
      ...(signal ? { signal } : {}),
      onTimeout: () =>
        didNotStart(`nothing answers on port ${last?.listen?.port ?? "?"} inside the container`),
    },
  );
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
  await pollUntil(
    async () => {
      const answer = await httpGet(options.host, options.port, "/editor/", 2_000);
      if (answer?.status === 200) return true;
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
      return undefined;
    },
    {
      deadline: options.deadline,
      // Short at first, then backing off: the editor often answers soon after the server runs.
      intervalMs: options.pollMs ?? 50,
      backoff: 1.5,
      maxIntervalMs: Math.max(options.pollMs ?? 0, 500),
      ...(options.signal ? { signal: options.signal } : {}),
      onTimeout: async () =>
        new ModelboxDevError(
          "READINESS_TIMEOUT",
          `Timed out waiting for the editor at ${url} (last: ${last}).`,
          "The server answers inside the container, so the published port does not reach it: check the port mapping, or raise --timeout.",
          { details: lastLogLines(await options.logTail()) },
        ),
    },
  );
}
