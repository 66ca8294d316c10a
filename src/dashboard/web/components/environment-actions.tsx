import { useState } from "preact/hooks";
import type { ApiError } from "../../protocol.js";
import { ApiFailure, deleteJson, postJson } from "../api.js";
import { ConfirmDialog } from "./confirm-dialog.js";
import { ErrorBox } from "./error-box.js";

type Action = "start" | "stop" | "remove" | "upgrade";

interface Props {
  name: string;
  state: string;
  canUpgrade: boolean;
  /** Called once an environment is gone (the detail page leaves). */
  onRemoved?: () => void;
  compact?: boolean;
}

const path = (name: string) => `/api/environments/${encodeURIComponent(name)}`;

function Question({ action, name, running }: { action: Action; name: string; running: boolean }) {
  if (action === "stop") {
    return (
      <p>
        Every process in <strong>{name}</strong> ends (systemd shuts it down cleanly).{" "}
        <strong>Kept:</strong> the container with its files, and the host directories it mounts.
        Start it again at any time.
      </p>
    );
  }
  if (action === "upgrade") {
    return (
      <p>
        <strong>{name}</strong> is recreated from the newest image its tag names.{" "}
        <strong>Kept:</strong> /home, /opt/modelbox and every other host directory it mounts.
        Changes made inside the container elsewhere are lost.
      </p>
    );
  }
  return (
    <>
      <p>
        {running ? "It is running and will be stopped first. " : ""}
        <strong>Deleted:</strong> the container {name}, changes made inside it outside mounted
        directories, its SSH key and its ~/.ssh/config entry.
      </p>
      <p>
        <strong>Kept on the host:</strong> /home, /opt/modelbox and every other directory it
        mounted.
      </p>
    </>
  );
}

const TITLES: Record<Action, (name: string) => string> = {
  start: (n) => `Start ${n}?`,
  stop: (n) => `Stop ${n}?`,
  remove: (n) => `Remove ${n}?`,
  upgrade: (n) => `Upgrade ${n}?`,
};

/** Start, stop, remove (and upgrade where offered), each destructive one asked first. */
export function EnvironmentActions({ name, state, canUpgrade, onRemoved, compact }: Props) {
  const [asking, setAsking] = useState<Action | undefined>();
  const [busy, setBusy] = useState<Action | undefined>();
  const [failure, setFailure] = useState<{ action: Action; error: ApiError } | undefined>();
  const running = state === "running";

  const perform = async (action: Action) => {
    setAsking(undefined);
    setBusy(action);
    setFailure(undefined);
    try {
      if (action === "remove") {
        await deleteJson(`${path(name)}${running ? "?force=true" : ""}`);
        onRemoved?.();
      } else {
        await postJson(`${path(name)}/${action}`);
      }
    } catch (err) {
      const error =
        err instanceof ApiFailure ? err.error : { code: "NETWORK", message: String(err) };
      setFailure({ action, error });
    } finally {
      setBusy(undefined);
    }
  };
  const label = (text: string) => (compact ? `${text}` : `${text} ${name}`);
  return (
    <div class="actions">
      <div class="buttons" role="group" aria-label={`Actions for ${name}`}>
        {running ? (
          <button
            type="button"
            disabled={!!busy}
            onClick={() => setAsking("stop")}
            aria-label={`Stop ${name}`}
          >
            {busy === "stop" ? "Stopping…" : label("Stop")}
          </button>
        ) : (
          <button
            type="button"
            disabled={!!busy}
            onClick={() => void perform("start")}
            aria-label={`Start ${name}`}
          >
            {busy === "start" ? "Starting…" : label("Start")}
          </button>
        )}
        {canUpgrade ? (
          <button
            type="button"
            disabled={!!busy}
            onClick={() => setAsking("upgrade")}
            aria-label={`Upgrade ${name}`}
          >
            {busy === "upgrade" ? "Upgrading…" : label("Upgrade")}
          </button>
        ) : null}
        <button
          type="button"
          class="danger"
          disabled={!!busy}
          onClick={() => setAsking("remove")}
          aria-label={`Remove ${name}`}
        >
          {busy === "remove" ? "Removing…" : label("Remove")}
        </button>
      </div>
      {asking ? (
        <ConfirmDialog
          title={TITLES[asking](name)}
          confirmLabel={
            asking === "remove"
              ? running
                ? "Stop and remove"
                : "Remove"
              : asking === "stop"
                ? "Stop"
                : "Upgrade"
          }
          danger={asking === "remove"}
          onConfirm={() => void perform(asking)}
          onCancel={() => setAsking(undefined)}
        >
          <Question action={asking} name={name} running={running} />
        </ConfirmDialog>
      ) : null}
      {failure ? (
        <ErrorBox error={failure.error} title={`Could not ${failure.action} ${name}`} />
      ) : null}
    </div>
  );
}
