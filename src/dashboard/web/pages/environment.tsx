import { useEffect, useState } from "preact/hooks";
import type { ApiError, EnvironmentStatus } from "../../protocol.js";
import { acceleratorsText, acceleratorsTitle } from "../accelerators.js";
import { ApiFailure, getJson, postJson } from "../api.js";
import { AccessLinks } from "../components/access-links.js";
import { EnvironmentActions } from "../components/environment-actions.js";
import { ErrorBox } from "../components/error-box.js";
import { LogsPanel } from "../components/logs-panel.js";
import { StatsPanel } from "../components/stats-panel.js";
import { TerminalPanel } from "../components/terminal-panel.js";
import { developerModeText } from "../developer-mode.js";
import { useUpgrade } from "../upgrades.js";
import type { EnvironmentList } from "../use-environments.js";

const asError = (err: unknown): ApiError =>
  err instanceof ApiFailure ? err.error : { code: "NETWORK", message: String(err) };

interface Props {
  name: string;
  list: EnvironmentList;
}

/** One environment: details, actions, live CPU and memory, its log, and a terminal. */
export function EnvironmentPage({ name, list }: Props) {
  const row = list.environments?.find((e) => e.name === name);
  // The state comes from the live list; details are read again whenever it changes, or the
  // container is another (an upgrade made it again).
  const state = row?.state;
  const [status, setStatus] = useState<EnvironmentStatus | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [terminal, setTerminal] = useState(false);
  const [develop, setDevelop] = useState<{ busy: boolean; error?: ApiError; done?: string }>({
    busy: false,
  });
  // Bumped to read the details again after a change the engine's events do not show.
  const [reread, setReread] = useState(0);
  useEffect(() => {
    getJson<EnvironmentStatus>(`/api/environments/${encodeURIComponent(name)}`).then(
      (s) => {
        setStatus(s);
        setError(undefined);
      },
      (err: unknown) => setError(asError(err)),
    );
  }, [name, row?.id, state, reread]);
  // An upgrade makes the container again: it is missing from the list for a moment.
  const upgrading = useUpgrade(name)?.running ?? false;
  const gone = list.environments !== undefined && !row && !upgrading;
  const running = (state ?? status?.state) === "running";
  useEffect(() => {
    if (!running) setTerminal(false);
  }, [running]);

  const developerMode = async () => {
    setDevelop({ busy: true });
    try {
      await postJson(`/api/environments/${encodeURIComponent(name)}/develop`);
      setDevelop({ busy: false, done: "Developer mode is on." });
      setReread((n) => n + 1);
    } catch (err) {
      setDevelop({ busy: false, error: asError(err) });
    }
  };

  return (
    <section aria-labelledby="page-title">
      <p class="breadcrumb">
        <a href="#/">Environments</a> /
      </p>
      <h1 id="page-title" tabIndex={-1}>
        {name}
      </h1>
      {gone ? (
        <p role="status">
          This environment no longer exists. <a href="#/">Back to the list</a>.
        </p>
      ) : null}
      {error && !gone ? <ErrorBox error={error} /> : null}
      {status && !gone ? (
        <>
          <dl class="facts details">
            <dt>State</dt>
            <dd>
              <span class={`state state-${state ?? status.state}`} data-testid="state">
                {state ?? status.state}
              </span>
            </dd>
            <dt>Image</dt>
            <dd>
              <code>{status.image.reference}</code>
              {status.image.cudaVersion ? ` (CUDA ${status.image.cudaVersion})` : ""}
            </dd>
            <dt>Image id</dt>
            <dd>
              <code class="small">{status.image.digest ?? status.image.id}</code>
            </dd>
            <dt>Owner</dt>
            <dd data-testid="owner">{status.owner ?? "not recorded"}</dd>
            <dt>GPUs / NPUs</dt>
            <dd title={acceleratorsTitle(status.accelerators)}>
              {acceleratorsText(status.accelerators)}
            </dd>
            <dt>Created</dt>
            <dd>{new Date(status.created).toLocaleString()}</dd>
            {status.editor?.developerMode ? (
              <>
                <dt>Developer mode</dt>
                <dd data-testid="developer-mode">
                  {developerModeText(status.editor.developerMode)}
                </dd>
              </>
            ) : null}
          </dl>
          <AccessLinks result={status} />
          <EnvironmentActions
            name={name}
            state={state ?? status.state}
            owner={status.owner}
            onRemoved={() => (location.hash = "#/")}
          />
          <div class="buttons">
            {status.editor ? (
              <a class="button" href={status.editor.url} target="_blank" rel="noopener noreferrer">
                Open the ModelBox editor
              </a>
            ) : null}
            {status.editor ? (
              <button
                type="button"
                disabled={!running || develop.busy}
                onClick={() => void developerMode()}
              >
                {develop.busy ? "Turning developer mode on…" : "Turn developer mode on"}
              </button>
            ) : null}
          </div>
          {develop.done ? <p role="status">{develop.done}</p> : null}
          {develop.error ? <ErrorBox error={develop.error} title="Developer mode" /> : null}
          <h2>CPU and memory</h2>
          <StatsPanel key={row?.id} name={name} running={running} />
          <h2>Terminal</h2>
          {terminal ? (
            <TerminalPanel name={name} onClose={() => setTerminal(false)} />
          ) : (
            <button type="button" disabled={!running} onClick={() => setTerminal(true)}>
              {running ? "Open a terminal" : "Open a terminal (start the environment first)"}
            </button>
          )}
          <h2>Log</h2>
          <LogsPanel key={`${row?.id}-${state}`} name={name} />
        </>
      ) : null}
    </section>
  );
}
