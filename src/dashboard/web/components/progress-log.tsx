import type { ProgressEvent } from "../../protocol.js";

export interface PullState {
  layers: Record<string, { current: number; total: number }>;
  status: string;
  /** How it ended: pulled, or not (present already, or failed: the operation says which). */
  ended?: "pulled" | "not-pulled";
}

/** Folds pull events into bytes done and to do, over all layers the engine reported. */
export function foldPull(state: PullState, event: ProgressEvent): PullState {
  if (event.type !== "pull") return state;
  if (event.phase === "trying") return { ...state, status: `Pulling from ${event.registry}…` };
  if (event.phase === "failed") {
    const next = event.next ? `; trying ${event.next}` : "";
    return { ...state, status: `${event.registry}: ${event.error.message}${next}` };
  }
  if (event.phase === "done") {
    const layers = Object.fromEntries(
      Object.entries(state.layers).map(([id, l]) => [id, { ...l, current: l.total }]),
    );
    const status = event.source ? `Pulled from ${event.source.registry}` : "Done";
    return { layers, status, ended: event.source ? "pulled" : "not-pulled" };
  }
  const { id, status, current, total } = event.progress;
  const layers = { ...state.layers };
  const layer = id ? layers[id] : undefined;
  if (id && total) layers[id] = { current: current ?? 0, total };
  else if (id && layer && /complete|exists/i.test(status))
    layers[id] = { ...layer, current: layer.total };
  return { layers, status: id ? `${id}: ${status}` : status };
}

export function PullProgress({ state, label }: { state: PullState; label: string }) {
  const layers = Object.values(state.layers);
  const total = layers.reduce((sum, l) => sum + l.total, 0);
  const current = layers.reduce((sum, l) => sum + Math.min(l.current, l.total), 0);
  const percent =
    state.ended === "pulled" ? 100 : total > 0 ? Math.round((current / total) * 100) : undefined;
  // Nothing moved and nothing will: no bar (an empty one would spin for ever).
  const bar = !(state.ended === "not-pulled" && percent === undefined);
  return (
    <div class="pull-progress">
      <label>
        {label}
        {percent === undefined ? "" : ` ${percent}%`}
        {bar ? <progress max={100} value={percent} /> : null}
      </label>
      <p class="muted small" aria-live="polite">
        {state.status}
      </p>
    </div>
  );
}

export interface StepLine {
  /** The plan's step id, or a running number for log lines and warnings. */
  key: string;
  text: string;
  status: "started" | "done" | "skipped" | "failed" | "note" | "warning";
  detail?: string;
}

/** Folds an operation's events into the lines shown: one per step (updated in place), notes. */
export function foldSteps(lines: StepLine[], event: ProgressEvent): StepLine[] {
  if (event.type === "step") {
    const line: StepLine = {
      key: event.id,
      text: event.title,
      status: event.status,
      ...(event.detail ? { detail: event.detail } : {}),
    };
    const at = lines.findIndex((l) => l.key === event.id);
    return at < 0 ? [...lines, line] : lines.map((l, i) => (i === at ? line : l));
  }
  if (event.type === "log")
    return [...lines, { key: `n${lines.length}`, text: event.message, status: "note" }];
  if (event.type === "warning") {
    return [
      ...lines,
      { key: `n${lines.length}`, text: `Warning: ${event.message}`, status: "warning" },
    ];
  }
  return lines;
}

const MARKS: Record<StepLine["status"], string> = {
  started: "…",
  done: "done",
  skipped: "skipped",
  failed: "failed",
  note: "",
  warning: "",
};

/** The steps an operation reported, in order; changes are announced to screen readers. */
export function StepList({ steps }: { steps: StepLine[] }) {
  return (
    <ol class="steps" aria-live="polite" aria-label="Progress">
      {steps.map((step) => (
        <li key={step.key} class={`step-${step.status}`} data-step={step.key}>
          {step.text}
          {MARKS[step.status] ? <span class="step-mark"> ({MARKS[step.status]})</span> : null}
          {step.detail ? <span class="muted small"> — {step.detail}</span> : null}
        </li>
      ))}
    </ol>
  );
}
