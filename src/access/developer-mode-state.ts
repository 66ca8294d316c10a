import type { ContainerEngine } from "../engine/types.js";
import type { BootUnitState } from "./boot-unit.js";
import { editorAnswersInside, queryService } from "./modelbox-service.js";

/**
 * Whether developer mode's server runs: when its status line says so *and* the editor port
 * answers inside the container; anything else is "stopped". The status line alone is fooled by a
 * pid file that survived a container restart and now names another process.
 */
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
