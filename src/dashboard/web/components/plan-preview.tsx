import { useState } from "preact/hooks";
import type { PlanPreview as Preview } from "../../protocol.js";

/** What `up` will do, before anything is created: the plan and the equivalent script. */
export function PlanPreview({ preview }: { preview: Preview }) {
  const { plan, script, imageReason } = preview;
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void navigator.clipboard?.writeText(script).then(() => setCopied(true));
  };
  return (
    <section class="plan" aria-labelledby="plan-title">
      <h2 id="plan-title">Plan for {plan.name}</h2>
      <dl class="facts">
        <dt>Image</dt>
        <dd>
          <code>{plan.image}</code>
          {imageReason ? <div class="muted small">{imageReason}</div> : null}
        </dd>
        <dt>Ports</dt>
        <dd>
          {plan.ports.length
            ? plan.ports
                .map(
                  (p) =>
                    `${p.purpose}: ${p.hostIp || "all interfaces"}:${p.hostPort} → ${p.containerPort}`,
                )
                .join("; ")
            : "none"}
        </dd>
        <dt>Mounts</dt>
        <dd>
          {plan.mounts.length ? (
            <ul>
              {plan.mounts.map((m) => (
                <li key={m.target}>
                  <code>{m.source}</code> → <code>{m.target}</code>
                  {m.readOnly ? " (read-only)" : ""}
                </li>
              ))}
            </ul>
          ) : (
            "none"
          )}
        </dd>
      </dl>
      {plan.steps.length ? (
        <>
          <h3>Steps</h3>
          <ol class="plan-steps">
            {plan.steps.map((s) => (
              <li key={s.id}>
                {s.title}
                {s.when ? <span class="muted small"> (when {s.when})</span> : null}
              </li>
            ))}
          </ol>
        </>
      ) : null}
      {plan.warnings.length ? (
        <ul class="warnings" aria-label="Warnings">
          {plan.warnings.map((w, i) => (
            <li key={i}>Warning: {w.message}</li>
          ))}
        </ul>
      ) : null}
      {plan.notes.length ? (
        <ul class="notes" aria-label="Notes">
          {plan.notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      ) : null}
      <details class="script">
        <summary>The equivalent script</summary>
        <button type="button" onClick={copy}>
          {copied ? "Copied" : "Copy script"}
        </button>
        <pre tabIndex={0} aria-label="Equivalent shell script">
          <code>{script}</code>
        </pre>
      </details>
    </section>
  );
}
