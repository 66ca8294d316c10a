import { useEffect, useState } from "preact/hooks";
import type { EnvironmentRow, EnvironmentStatus } from "../../protocol.js";
import { acceleratorsText, acceleratorsTitle } from "../accelerators.js";
import { getJson } from "../api.js";
import { EnvironmentActions } from "../components/environment-actions.js";
import { ErrorBox } from "../components/error-box.js";
import { developerModeText } from "../developer-mode.js";
import { environmentHref } from "../router.js";
import type { EnvironmentList } from "../use-environments.js";

function ports(row: EnvironmentRow): string {
  return (
    Object.entries(row.ports)
      .map(([purpose, port]) => `${purpose} ${port}`)
      .join(", ") || "none"
  );
}

/** Developer mode is asked of the environment itself (status), again whenever its state changes. */
function DeveloperMode({ row }: { row: EnvironmentRow }) {
  const [mode, setMode] = useState<string | undefined>();
  useEffect(() => {
    setMode(undefined);
    if (row.state !== "running" || row.ports.editor === undefined) return;
    let current = true;
    getJson<EnvironmentStatus>(`/api/environments/${encodeURIComponent(row.name)}`).then(
      (s) => current && setMode(s.editor?.developerMode),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [row.name, row.state]);
  if (row.ports.editor === undefined) return <>no editor</>;
  if (row.state !== "running") return <>—</>;
  return <>{mode ? developerModeText(mode) : "…"}</>;
}

const created = (iso: string) => new Date(iso).toLocaleString();

/** Every environment modelbox-dev manages, live: the engine's events redraw this table. */
interface Props {
  list: EnvironmentList;
  /** Only the environments of the user the dashboard runs as (`ls --mine`). */
  mine: boolean;
  onMine: (mine: boolean) => void;
}

export function EnvironmentsPage({ list, mine, onMine }: Props) {
  const { environments, error, connected } = list;
  return (
    <section aria-labelledby="page-title">
      <div class="title-row">
        <h1 id="page-title" tabIndex={-1}>
          Environments
        </h1>
        <a class="button primary" href="#/create">
          Create an environment
        </a>
      </div>
      <div class="list-options">
        <label class="check">
          <input
            type="checkbox"
            name="mine"
            checked={mine}
            onChange={(e) => onMine(e.currentTarget.checked)}
          />
          Mine only
        </label>
        <p class="muted small" aria-live="polite">
          {connected ? "Live: changes appear as the engine reports them." : "Connecting…"}
        </p>
      </div>
      {error ? <ErrorBox error={error} title="Cannot list environments" /> : null}
      {environments === undefined ? (
        <p>Loading…</p>
      ) : environments.length === 0 ? (
        <p>
          {mine ? "No environments of yours." : "No environments yet."}{" "}
          <a href="#/create">Create one</a>.
        </p>
      ) : (
        <table class="environments">
          <caption class="visually-hidden">Environments managed by modelbox-dev</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">State</th>
              <th scope="col">Owner</th>
              <th scope="col">Image</th>
              <th scope="col">Ports</th>
              <th scope="col">GPUs / NPUs</th>
              <th scope="col">Developer mode</th>
              <th scope="col">Created</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {environments.map((row) => (
              <tr key={row.id} data-name={row.name}>
                <th scope="row" data-label="Name">
                  <a href={environmentHref(row.name)}>{row.name}</a>
                </th>
                <td data-label="State">
                  <span class={`state state-${row.state}`}>{row.state}</span>
                </td>
                <td data-label="Owner" class="owner">
                  {row.owner ?? "—"}
                </td>
                <td data-label="Image" class="image">
                  {row.image}
                </td>
                <td data-label="Ports">{ports(row)}</td>
                <td
                  data-label="GPUs / NPUs"
                  class="accelerators"
                  title={acceleratorsTitle(row.accelerators)}
                >
                  {acceleratorsText(row.accelerators)}
                </td>
                <td data-label="Developer mode">
                  <DeveloperMode row={row} />
                </td>
                <td data-label="Created">{created(row.created)}</td>
                <td data-label="Actions">
                  <EnvironmentActions name={row.name} state={row.state} owner={row.owner} compact />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
