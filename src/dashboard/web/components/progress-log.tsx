import type { ApiError, ProgressEvent } from "../../protocol.js";

export interface PullState {
  layers: Record<string, { current: number; total: number }>;
  status: string;
  /** A registry refused or could not be reached (the next one may still serve it). */
  attemptFailed?: boolean;
  /**
   * How it ended: pulled; not pulled (present already); or failed (every registry refused, or
   * the operation's error says why).
   */
  ended?: "pulled" | "not-pulled" | "failed";
}

export const NO_PULL: PullState = { layers: {}, status: "" };

/** Folds pull events into bytes done and to do, over all layers the engine reported. */
export function foldPull(state: PullState, event: ProgressEvent): PullState {
  if (event.type !== "pull") return state;
  if (event.phase === "trying") return { ...state, status: `Pulling from ${event.registry}…` };
  if (event.phase === "failed") {
    const next = event.next ? `; trying ${event.next}` : "";
    const status = `${event.registry}: ${event.error.message}${next}`;
    return { ...state, status, attemptFailed: !event.next };
  }
  if (event.phase === "done") {
    // The library ends every pull with "done", a failed one too: without a source, the last
    // registry's refusal stands (the operation's error follows with the hint).
    if (!event.source) {
      return state.attemptFailed
        ? { ...state, ended: "failed" }
        : { ...state, status: "Present already: nothing pulled", ended: "not-pulled" };
    }
    const layers = Object.fromEntries(
      Object.entries(state.layers).map(([id, l]) => [id, { ...l, current: l.total }]),
    );
    return { layers, status: `Pulled from ${event.source.registry}`, ended: "pulled" };
  }
  const { id, status, current, total } = event.progress;
  const layers = { ...state.layers };
  const layer = id ? layers[id] : undefined;
  if (id && total) layers[id] = { current: current ?? 0, total };
  else if (id && layer && /complete|exists/i.test(status))
    layers[id] = { ...layer, current: layer.total };
  return { layers, status: id ? `${id}: ${status}` : status };
}

/**
 * The operation that pulled failed: the pull did not finish, whatever its last event said (the
 * error box beside it gives the message and hint).
 */
export function failPull(state: PullState | undefined, error: ApiError): PullState | undefined {
  if (!state || state.ended === "pulled") return state;
  return { ...state, status: error.message, ended: "failed" };
}

export function PullProgress({ state, label }: { state: PullState; label: string }) {
  const layers = Object.values(state.layers);
  const total = layers.reduce((sum, l) => sum + l.total, 0);
  const current = layers.reduce((sum, l) => sum + Math.min(l.current, l.total), 0);
  const percent =
    state.ended === "pulled" ? 100 : total > 0 ? Math.round((current / total) * 100) : undefined;
  const failed = state.ended === "failed";
  // Nothing moved and nothing will: no bar (an empty one would spin for ever); a failed pull
  // keeps a stopped one, marked failed.
  const bar = !(state.ended === "not-pulled" && percent === undefined);
  return (
    <div
      class={`pull-progress${failed ? " pull-failed" : ""}`}
      data-state={state.ended ?? "running"}
    >
      <label>
        {label}
        {failed ? ": failed" : ""}
        {percent === undefined ? "" : ` ${percent}%`}
        {bar ? (
          <progress
            max={100}
            value={failed ? (percent ?? 0) : percent}
            aria-invalid={failed ? "true" : undefined}
          />
        ) : null}
      </label>
      <p class="muted small pull-status" aria-live="polite">
        {failed ? "Failed: " : ""}
        {state.status}
      </p>
    </div>
  );
}

export interface StepLine {
  /** The plan's step id, or a running number for log lines and warnings. */
  key: string;
  text: string;
  status: "started" | "done" | "skipped" | "failed" | "stopped" | "note" | "warning";
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

/** The operation failed: a step still under way when it did never finished. */
export function stopSteps(lines: StepLine[]): StepLine[] {
  return lines.map((l) => (l.status === "started" ? { ...l, status: "stopped" } : l));
}

const MARKS: Record<StepLine["status"], string> = {
  started: "…",
  stopped: "stopped by the failure",
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
