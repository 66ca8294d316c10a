import { useState } from "preact/hooks";
import type { PlanPreview as Preview } from "../../protocol.js";

type Plan = Preview["plan"];

/** Bytes as docker writes sizes: 8g, 512m. */
function size(bytes: number): string {
  const units = [
    ["g", 1024 ** 3],
    ["m", 1024 ** 2],
    ["k", 1024],
  ] as const;
  for (const [unit, scale] of units) {
    if (bytes >= scale && bytes % scale === 0) return `${bytes / scale}${unit}`;
  }
  return `${bytes} bytes`;
}

function resources(plan: Plan): string {
  const { cpus, memoryBytes } = plan.resources ?? {};
  const memory = memoryBytes === undefined ? "memory not limited" : `memory ${size(memoryBytes)}`;
  return `${cpus === undefined ? "CPUs not limited" : `${cpus} CPUs`}, ${memory}`;
}

function restart(plan: Plan): string {
  const { name, maximumRetryCount } = plan.restartPolicy;
  return maximumRetryCount ? `${name}:${maximumRetryCount}` : name;
}

/** Names only: the plan never holds the values. */
function variables(plan: Plan): string {
  const env = plan.userEnv;
  if (!env || (env.names.length === 0 && env.files.length === 0)) return "none";
  const files = env.files.length ? ` (from ${env.files.join(", ")} too)` : "";
  return `${env.names.join(", ") || "none yet"}${files}; values not shown`;
}

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
        <dt>More ports</dt>
        <dd>
          {plan.publish.length
            ? plan.publish
                .map(
                  (p) =>
                    `${p.hostIp || "all interfaces"}:${p.hostPort} → ${p.containerPort}/${p.protocol}`,
                )
                .join("; ")
            : "none"}
        </dd>
        <dt>Variables</dt>
        <dd data-testid="plan-variables">{variables(plan)}</dd>
        <dt>Resources</dt>
        <dd>{resources(plan)}</dd>
        <dt>/dev/shm</dt>
        <dd data-testid="plan-shm">
          {size(plan.shm.sizeBytes)}
          {plan.shm.source === "default" ? " (default)" : ""}
        </dd>
        <dt>Process limits</dt>
        <dd>
          {plan.ulimits.length
            ? plan.ulimits.map((u) => `${u.name}=${u.soft}:${u.hard}`).join(", ")
            : "the engine's"}
        </dd>
        <dt>Restart policy</dt>
        <dd>{restart(plan)}</dd>
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
