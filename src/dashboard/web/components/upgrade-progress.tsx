import { type UpgradeState, dismissUpgrade } from "../upgrades.js";
import { ErrorBox } from "./error-box.js";
import { PullProgress, StepList } from "./progress-log.js";

/** An upgrade's pull and steps as they happen, then what changed (or why nothing did). */
export function UpgradeProgress({ name, state }: { name: string; state: UpgradeState }) {
  const { outcome } = state;
  return (
    <section class="progress upgrade" aria-label={`Upgrade of ${name}`}>
      {state.pull ? <PullProgress state={state.pull} label="Pulling the new image" /> : null}
      <StepList steps={state.steps} />
      {outcome ? (
        <div role="status" class="upgrade-outcome">
          {outcome.upgraded ? (
            <p>
              {name} upgraded: <code>{outcome.from.reference}</code> →{" "}
              <code>{outcome.to.reference}</code>
              {outcome.homeVolume ? (
                <>
                  ; /root kept in volume <code>{outcome.homeVolume}</code>
                </>
              ) : null}
              .
            </p>
          ) : (
            <p>
              {name} already runs <code>{outcome.to.reference}</code>: nothing changed.
            </p>
          )}
          {outcome.warnings.length ? (
            <ul class="warnings">
              {outcome.warnings.map((w, i) => (
                <li key={i}>Warning: {w}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {state.error ? <ErrorBox error={state.error} title={`Could not upgrade ${name}`} /> : null}
      {state.running ? null : (
        <button type="button" onClick={() => dismissUpgrade(name)}>
          Dismiss
        </button>
      )}
    </section>
  );
}
