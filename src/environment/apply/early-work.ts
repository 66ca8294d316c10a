import type { DeveloperModeOutcome } from "../../access/developer-mode.js";
import { type DeveloperModeState, developerModeState } from "../../access/developer-mode-state.js";
import { type StagedKey, hasSshd, loginKeyFor, stageLoginKey } from "../../access/ssh-setup.js";
import { findSshClient } from "../../access/ssh-client.js";
import { loginCheckKex } from "../../access/login-check-kex.js";
import { programInImage } from "../../access/program-in-image.js";
import type { LoginKey } from "../../access/ssh-keys.js";
import type { ContainerEngine } from "../../engine/types.js";
import { throwIfInterrupted } from "../../poll-until.js";
import { hostPortsByPurpose } from "../../published-ports.js";
import { isFresh, setUpDeveloperMode } from "./access-steps.js";
import { type Execution, runningContainer } from "./execution.js";

/**
 * Work `up` begins as soon as the container runs, while sshd and the rest of the image boot,
 * instead of after the steps before it: installing the login key, setting up developer mode
 * (`develop -s` and the editor's wait take seconds), a look for the report. Its step (or the
 * report) awaits it, so results and failures still come in the plan's order; when `up` fails
 * first, the work still going is stopped and settled before `up` puts files back.
 */
export interface EarlyWork {
  /** Ends the early work when `up` fails before a step awaited it. */
  stop?: AbortController;
  /** Whether the image has sshd, for an image of unknown kind (asked before the key goes in). */
  sshd?: Promise<boolean>;
  /** The login key's files (the only early work that writes on this host); none without sshd. */
  keyFiles?: Promise<LoginKey | undefined>;
  /** The login key in authorized_keys, with the host keys and password status read. */
  key?: Promise<StagedKey | undefined>;
  /** Developer mode turned on, for the developer-mode step. */
  developerModeSetup?: Promise<DeveloperModeOutcome | undefined>;
  /** Developer mode's state, for the report, when `up` leaves developer mode alone. */
  developerModeLook?: Promise<DeveloperModeState>;
}

/** Keeps a rejection for whoever awaits the promise, without an unhandled one meanwhile. */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/**
 * The engine for early work: once `up` has stopped it, no new command starts in the container
 * (which is being removed: an exec begun then can be left hanging by the engine).
 */
function stoppable(engine: ContainerEngine, signal: AbortSignal): ContainerEngine {
  return new Proxy(engine, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      const method = value as (...args: unknown[]) => unknown;
      if (property !== "exec" && property !== "execStream") return method.bind(target);
      return (...args: unknown[]) => {
        throwIfInterrupted(signal);
        return method.apply(target, args);
      };
    },
  });
}

/** Begins the early work the plan allows, once the container runs (after wait-running). */
export function beginEarlyWork(x: Execution): void {
  // On Podman 4.3 a run of the engine tests hung with an exec begun this way still attached
  // (CanRemove false) in a kept container; until that is understood, Podman keeps the plan's
  // order, one step after another.
  if (x.facts.engine.kind === "podman") return;
  const c = runningContainer(x);
  const stop = new AbortController();
  x.early.stop = stop;
  const engine = stoppable(x.ctx.engine, stop.signal);
  // Its progress lines stop with it: after a failure they would only confuse.
  const log = (line: string) => {
    if (!stop.signal.aborted) x.ctx.log(line);
  };
  // dockerd starts one exec at a time per container (moby#45624; 300 ms each while the
  // container boots): the exec asked for first goes first, so it is the one the rest of `up`
  // waits for most. Developer mode's `develop -s` takes seconds, the key and its login less.
  const developerMode = x.plan.steps.some((s) => s.id === "developer-mode");
  if (developerMode) {
    const signals = [stop.signal, ...(x.ctx.signal ? [x.ctx.signal] : [])];
    x.early.developerModeSetup = quiet(
      setUpDeveloperMode(x, AbortSignal.any(signals), engine, log),
    );
  }
  const keyStep = x.plan.steps.find((s) => s.id === "install-key");
  if (keyStep) {
    // An image of unknown kind is asked first (its steps are skipped, or refused, without sshd);
    // nothing is written here for an image that has none.
    const sshd = keyStep.when ? quiet(hasSshd(engine, c.id)) : Promise.resolve(true);
    if (keyStep.when) x.early.sshd = sshd;
    const keyFiles = quiet(
      sshd.then((has) => (has ? loginKeyFor(c.name, x.secrets.userKey) : undefined)),
    );
    x.early.keyFiles = keyFiles;
    x.early.key = quiet(
      keyFiles.then((key) =>
        key
          ? stageLoginKey(engine, {
              name: c.name,
              containerId: c.id,
              key: Promise.resolve(key),
              log,
            })
          : undefined,
      ),
    );
  }
  // The login check's key exchanges, asked of the ssh client while the container boots.
  if (x.plan.steps.some((s) => s.id === "verify-key-login")) {
    const ssh = findSshClient();
    if (ssh) void loginCheckKex(ssh);
  }
  // A look for the report only: asked right after the key's exec (its files are what that exec
  // waits for), so the key, which the login check waits for, goes first.
  if (
    !developerMode &&
    hostPortsByPurpose(c).editor !== undefined &&
    x.plan.imageKind !== "runtime"
  ) {
    const keyAsked = x.early.keyFiles?.catch(() => undefined) ?? Promise.resolve(undefined);
    const look = () => developerModeState(engine, c.id);
    // A new container with a new /root that has modelbox-tool: not set up, seen without an exec.
    const fresh = isFresh(x);
    x.early.developerModeLook = quiet(
      (fresh ? programInImage(engine, c.id, "modelbox-tool") : Promise.resolve(undefined)).then(
        (tool) => (tool ? ("not-set-up" as const) : keyAsked.then(look)),
      ),
    );
  }
}
