import { useState } from "preact/hooks";
import type { ApiError, UpgradeRequest } from "../../protocol.js";
import { ApiFailure, deleteJson, postJson } from "../api.js";
import { startUpgrade, useUpgrade } from "../upgrades.js";
import { ConfirmDialog } from "./confirm-dialog.js";
import { ErrorBox } from "./error-box.js";
import { UpgradeProgress } from "./upgrade-progress.js";

type Action = "start" | "stop" | "remove" | "upgrade";

interface Props {
  name: string;
  state: string;
  /** Who made it, to say whose it is when the library asks for force. */
  owner?: string | undefined;
  /** Called once an environment is gone (the detail page leaves). */
  onRemoved?: () => void;
  compact?: boolean;
}

/** The answers the questions take besides yes or no. */
interface Choices {
  removeVolumes: boolean;
  image: string;
  version: string;
  pull: NonNullable<UpgradeRequest["pull"]>;
  /** Registries or mirrors, one per line (`--registry`, in order). */
  registries: string;
  force: boolean;
}

const NO_CHOICES: Choices = {
  removeVolumes: false,
  image: "",
  version: "",
  pull: "always",
  registries: "",
  force: false,
};

const path = (name: string) => `/api/environments/${encodeURIComponent(name)}`;

interface QuestionProps {
  action: Action;
  name: string;
  running: boolean;
  choices: Choices;
  onChoices: (choices: Choices) => void;
}

function UpgradeQuestion({ name, choices, onChoices }: QuestionProps) {
  const id = (field: string) => `upgrade-${field}-${name}`;
  return (
    <>
      <p>
        <strong>{name}</strong> is made again from the options it was made with, on the new image.{" "}
        <strong>Kept:</strong> /root (in its volume), its ports, the key login, root's password,
        developer mode and the host directories it mounts. <strong>Lost:</strong> changes made
        elsewhere inside the container.
      </p>
      <div class="field">
        <label for={id("image")}>New image</label>
        <input
          id={id("image")}
          value={choices.image}
          placeholder="the same image, pulled again"
          onInput={(e) => onChoices({ ...choices, image: e.currentTarget.value })}
        />
      </div>
      <div class="field">
        <label for={id("version")}>Release tag</label>
        <input
          id={id("version")}
          value={choices.version}
          placeholder="e.g. 1.6.0"
          spellcheck={false}
          aria-describedby={id("version-help")}
          onInput={(e) => onChoices({ ...choices, version: e.currentTarget.value })}
        />
        <p id={id("version-help")} class="help">
          Replaces the image's tag (--version). Blank: the tag stays.
        </p>
      </div>
      <div class="field">
        <label for={id("registry")}>Registries or mirrors</label>
        <textarea
          id={id("registry")}
          rows={2}
          value={choices.registries}
          spellcheck={false}
          aria-describedby={id("registry-help")}
          onInput={(e) => onChoices({ ...choices, registries: e.currentTarget.value })}
        />
        <p id={id("registry-help")} class="help">
          One per line, tried in order: HOST[:PORT][/NAMESPACE] (--registry). Blank: those of
          ~/.modelbox-dev/config.json, else the published one.
        </p>
      </div>
      <div class="field">
        <label for={id("pull")}>Pull</label>
        <select
          id={id("pull")}
          value={choices.pull}
          onChange={(e) =>
            onChoices({ ...choices, pull: e.currentTarget.value as Choices["pull"] })
          }
        >
          <option value="always">always (the tag may name a newer image)</option>
          <option value="missing">only when missing</option>
          <option value="never">never</option>
        </select>
      </div>
      <label class="check">
        <input
          type="checkbox"
          checked={choices.force}
          onChange={(e) => onChoices({ ...choices, force: e.currentTarget.checked })}
        />
        Upgrade even when /root is not in a volume (it is then lost)
      </label>
    </>
  );
}

function Question(props: QuestionProps) {
  const { action, name, running, choices, onChoices } = props;
  if (action === "stop") {
    return (
      <p>
        Every process in <strong>{name}</strong> ends (systemd shuts it down cleanly).{" "}
        <strong>Kept:</strong> the container with its files, and the host directories it mounts.
        Start it again at any time.
      </p>
    );
  }
  if (action === "upgrade") return <UpgradeQuestion {...props} />;
  return (
    <>
      <p>
        {running ? "It is running and will be stopped first. " : ""}
        <strong>Deleted:</strong> the container {name}, changes made inside it outside /root and
        mounted directories, its SSH key and its ~/.ssh/config entry.
      </p>
      <p>
        <strong>Kept on the host:</strong> /home, /opt/modelbox and every other directory it mounted
        {choices.removeVolumes ? "" : "; and its volume with /root, which 'up' uses again"}.
      </p>
      <label class="check">
        <input
          type="checkbox"
          checked={choices.removeVolumes}
          onChange={(e) => onChoices({ ...choices, removeVolumes: e.currentTarget.checked })}
        />
        Also remove its volumes (/root)
      </label>
    </>
  );
}

const TITLES: Record<Action, (name: string) => string> = {
  start: (n) => `Start ${n}?`,
  stop: (n) => `Stop ${n}?`,
  remove: (n) => `Remove ${n}?`,
  upgrade: (n) => `Upgrade ${n}?`,
};

function confirmLabel(action: Action, running: boolean): string {
  if (action === "remove") return running ? "Stop and remove" : "Remove";
  return action === "stop" ? "Stop" : "Upgrade";
}

/** The dialog's answers as `upgrade`'s options (the CLI's flags); blank fields are left out. */
export function upgradeRequest(name: string, choices: Choices): UpgradeRequest {
  const image = choices.image.trim();
  const version = choices.version.trim();
  const registry = choices.registries
    .split("\n")
    .map((r) => r.trim())
    .filter(Boolean);
  return {
    name,
    pull: choices.pull,
    ...(image ? { image } : {}),
    ...(version ? { version } : {}),
    ...(registry.length ? { registry } : {}),
    ...(choices.force ? { force: true } : {}),
  };
}

/** The question before acting on someone else's environment, which the library refused. */
function ForceQuestion({
  action,
  name,
  owner,
}: {
  action: "stop" | "remove";
  name: string;
  owner: string;
}) {
  return (
    <p>
      <strong>{name}</strong> belongs to <strong>{owner}</strong>, not to you. {owner} may be using
      it: ask first. {action === "stop" ? "Stop" : "Remove"} it anyway?
    </p>
  );
}

/** Whose the environment is, from the list, else from the library's refusal. */
function ownerIn(error: ApiError, owner: string | undefined): string {
  return owner ?? /belongs to (\S+), not to you/.exec(error.message)?.[1] ?? "someone else";
}

/** Start, stop, upgrade and remove, each one that loses something asked first. */
export function EnvironmentActions({ name, state, owner, onRemoved, compact }: Props) {
  const [asking, setAsking] = useState<Action | undefined>();
  const [askingForce, setAskingForce] = useState<"stop" | "remove" | undefined>();
  const [choices, setChoices] = useState<Choices>(NO_CHOICES);
  const [busy, setBusy] = useState<Action | undefined>();
  const [failure, setFailure] = useState<{ action: Action; error: ApiError } | undefined>();
  const upgrading = useUpgrade(name);
  const running = state === "running";
  const disabled = !!busy || !!upgrading?.running;

  const ask = (action: Action) => {
    setChoices(NO_CHOICES);
    setAsking(action);
  };
  const remove = async (force: boolean) => {
    const query = new URLSearchParams({
      ...(force ? { force: "true" } : {}),
      ...(choices.removeVolumes ? { volumes: "true" } : {}),
    }).toString();
    await deleteJson(`${path(name)}${query ? `?${query}` : ""}`);
  };
  /** `force`: confirmed for someone else's environment (the library's NOT_OWNER). */
  const perform = async (action: Action, force = false) => {
    setAsking(undefined);
    setAskingForce(undefined);
    setFailure(undefined);
    if (action === "upgrade") return startUpgrade(upgradeRequest(name, choices));
    setBusy(action);
    try {
      if (action === "remove") {
        // Without force first: the library says when it is someone else's (NOT_OWNER); a
        // running one of one's own (IS_RUNNING) was confirmed as "Stop and remove" already.
        await remove(force).catch(async (err: unknown) => {
          if (err instanceof ApiFailure && err.error.code === "IS_RUNNING") return remove(true);
          throw err;
        });
        onRemoved?.();
      } else {
        await postJson(`${path(name)}/${action}${force ? "?force=true" : ""}`);
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
            disabled={disabled}
            onClick={() => ask("stop")}
            aria-label={`Stop ${name}`}
          >
            {busy === "stop" ? "Stopping…" : label("Stop")}
          </button>
        ) : (
          <button
            type="button"
            disabled={disabled}
            onClick={() => void perform("start")}
            aria-label={`Start ${name}`}
          >
            {busy === "start" ? "Starting…" : label("Start")}
          </button>
        )}
        <button
          type="button"
          disabled={disabled}
          onClick={() => ask("upgrade")}
          aria-label={`Upgrade ${name}`}
        >
          {upgrading?.running ? "Upgrading…" : label("Upgrade")}
        </button>
        <button
          type="button"
          class="danger"
          disabled={disabled}
          onClick={() => ask("remove")}
          aria-label={`Remove ${name}`}
        >
          {busy === "remove" ? "Removing…" : label("Remove")}
        </button>
      </div>
      {asking ? (
        <ConfirmDialog
          title={TITLES[asking](name)}
          confirmLabel={confirmLabel(asking, running)}
          danger={asking === "remove"}
          onConfirm={() => void perform(asking)}
          onCancel={() => setAsking(undefined)}
        >
          <Question
            action={asking}
            name={name}
            running={running}
            choices={choices}
            onChoices={setChoices}
          />
        </ConfirmDialog>
      ) : null}
      {upgrading ? <UpgradeProgress name={name} state={upgrading} /> : null}
      {askingForce && failure ? (
        <ConfirmDialog
          title={`${name} belongs to ${ownerIn(failure.error, owner)}`}
          confirmLabel={askingForce === "stop" ? "Stop anyway" : "Remove anyway"}
          danger
          onConfirm={() => void perform(askingForce, true)}
          onCancel={() => setAskingForce(undefined)}
        >
          <ForceQuestion action={askingForce} name={name} owner={ownerIn(failure.error, owner)} />
        </ConfirmDialog>
      ) : null}
      {failure ? (
        <div class="failure">
          <ErrorBox error={failure.error} title={`Could not ${failure.action} ${name}`} />
          {failure.error.code === "NOT_OWNER" &&
          (failure.action === "stop" || failure.action === "remove") ? (
            <button
              type="button"
              class="danger"
              onClick={() => setAskingForce(failure.action as "stop" | "remove")}
            >
              {failure.action === "stop" ? "Stop" : "Remove"} {name} anyway…
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
