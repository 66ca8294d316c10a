import type { ProgressEvent } from "../../protocol.js";

export interface PullState {
  layers: Record<string, { current: number; total: number }>;
  status: string;
}

/** Folds pull events into bytes done and to do, over all layers the engine reported. */
export function foldPull(state: PullState, event: ProgressEvent): PullState {
  if (event.type !== "pull") return state;
  const layers = { ...state.layers };
  if (event.id && event.total) {
    layers[event.id] = { current: event.current ?? 0, total: event.total };
  } else if (event.id && /complete|exists/i.test(event.status) && layers[event.id]) {
    const layer = layers[event.id];
    if (layer) layers[event.id] = { ...layer, current: layer.total };
  }
  return { layers, status: event.id ? `${event.id}: ${event.status}` : event.status };
}

export function PullProgress({ state, label }: { state: PullState; label: string }) {
  const layers = Object.values(state.layers);
  const total = layers.reduce((sum, l) => sum + l.total, 0);
  const current = layers.reduce((sum, l) => sum + Math.min(l.current, l.total), 0);
  const percent = total > 0 ? Math.round((current / total) * 100) : undefined;
  return (
    <div class="pull-progress">
      <label>
        {label}
        {percent === undefined ? "" : ` ${percent}%`}
        <progress max={100} value={percent} />
      </label>
      <p class="muted small" aria-live="polite">
        {state.status}
      </p>
    </div>
  );
}

/** The steps an operation reported, in order; the newest is announced to screen readers. */
export function StepList({ steps, done }: { steps: string[]; done: boolean }) {
  return (
    <ol class="steps" aria-live="polite" aria-label="Progress">
      {steps.map((step, i) => (
        <li key={i} class={i === steps.length - 1 && !done ? "current" : "done"}>
          {step}
        </li>
      ))}
    </ol>
  );
}
