/**
 * Upgrades in progress, by environment name. An upgrade makes the container again, so the
 * list's row and the page's details come and go meanwhile: the progress lives here, outside
 * them, and whatever shows the environment next shows it too.
 */
import { useEffect, useState } from "preact/hooks";
import type { ApiError, UpgradeOutcome, UpgradeRequest } from "../protocol.js";
import { runOperation } from "./api.js";
import {
  NO_PULL,
  type PullState,
  type StepLine,
  failPull,
  foldPull,
  foldSteps,
  stopSteps,
} from "./components/progress-log.js";

export interface UpgradeState {
  running: boolean;
  steps: StepLine[];
  pull?: PullState;
  outcome?: UpgradeOutcome;
  error?: ApiError;
}

const upgrades = new Map<string, UpgradeState>();
const listeners = new Set<() => void>();

function publish(name: string, state: UpgradeState | undefined): void {
  if (state) upgrades.set(name, state);
  else upgrades.delete(name);
  for (const listener of listeners) listener();
}

export function startUpgrade(request: UpgradeRequest): void {
  const { name } = request;
  let state: UpgradeState = { running: true, steps: [] };
  const update = (change: Partial<UpgradeState>) => {
    state = { ...state, ...change };
    publish(name, state);
  };
  publish(name, state);
  runOperation(
    "/ws/upgrade",
    { type: "upgrade", options: request },
    {
      onProgress: (event) =>
        event.type === "pull"
          ? update({ pull: foldPull(state.pull ?? NO_PULL, event) })
          : update({ steps: foldSteps(state.steps, event) }),
      onResult: (result) => update({ running: false, outcome: result as UpgradeOutcome }),
      onError: (error) =>
        update({
          running: false,
          error,
          pull: failPull(state.pull, error),
          steps: stopSteps(state.steps),
        }),
    },
  );
}

export const dismissUpgrade = (name: string): void => publish(name, undefined);

/** The upgrade of this environment, running or finished and not yet dismissed. */
export function useUpgrade(name: string): UpgradeState | undefined {
  const [, redraw] = useState(0);
  useEffect(() => {
    const listener = () => redraw((n) => n + 1);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
  return upgrades.get(name);
}
