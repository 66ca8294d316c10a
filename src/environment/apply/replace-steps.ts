import { ModelboxDevError } from "../../errors.js";
import { STOP_TIMEOUT_SECONDS } from "../../plan/options.js";
import type { Execution } from "./execution.js";
import { type StepHandler, done, skipped } from "./run-steps.js";

/**
 * `--recreate` never leaves the user with less: the old environment is stopped and renamed aside
 * (so its name and ports are free for the new one), removed only once the new one is ready, and
 * put back (renamed, started again if it ran) when any step fails or the user interrupts.
 */
export interface SetAside {
  id: string;
  name: string;
  asideName: string;
  wasRunning: boolean;
  renamed: boolean;
}

/** The name the old environment carries while the new one is made. */
export function asideName(name: string, id: string): string {
  return `${name}.replaced-${id.slice(0, 12)}`;
}

export const setAside: StepHandler = async (x) => {
  const old = x.existing;
  if (!old) return skipped(`there is no ${x.plan.name} yet`);
  const { engine, log } = x.ctx;
  const aside: SetAside = {
    id: old.id,
    name: old.name,
    asideName: asideName(old.name, old.id),
    wasRunning: ["running", "restarting", "paused"].includes(old.status),
    renamed: false,
  };
  x.replaced = aside;
  log(`Setting the old ${old.name} aside until the new one is ready…`);
  if (aside.wasRunning) await engine.stopContainer(old.id, STOP_TIMEOUT_SECONDS);
  await engine.renameContainer(old.id, aside.asideName);
  aside.renamed = true;
  return done(`stopped and renamed ${aside.asideName}`);
};

export const removeReplaced: StepHandler = async (x) => {
  const aside = x.replaced;
  if (!aside) return skipped("nothing was set aside");
  x.ctx.log(`Removing the old ${aside.name} (${aside.id.slice(0, 12)})…`);
  try {
    await x.ctx.engine.removeContainer(aside.id, { force: true });
  } catch (err) {
    // The new environment is ready: a leftover old container is a nuisance, not a failure.
    x.warnings.push(
      `The old ${aside.name} could not be removed (${err instanceof Error ? err.message : String(err)}); remove it with 'modelbox-dev rm --force ${aside.asideName}'.`,
    );
  }
  x.replaced = undefined;
  return done(`removed ${aside.id.slice(0, 12)}`);
};

/** After a failure: the old environment back under its name, running if it ran. */
export async function putBack(x: Execution, failure: unknown): Promise<void> {
  const aside = x.replaced;
  if (!aside) return;
  const { engine } = x.ctx;
  const say = (line: string) => {
    if (failure instanceof ModelboxDevError) failure.details.push(line);
  };
  try {
    if (aside.renamed) await engine.renameContainer(aside.id, aside.name);
    if (aside.wasRunning) await engine.startContainer(aside.id);
    say(`The old ${aside.name} is back as it was${aside.wasRunning ? " (running)" : ""}.`);
    x.replaced = undefined;
  } catch (err) {
    say(
      `The old ${aside.name} is kept as ${aside.renamed ? aside.asideName : aside.name} (${err instanceof Error ? err.message : String(err)}); 'docker rename ${aside.asideName} ${aside.name}' puts it back once the name is free.`,
    );
  }
}

export const REPLACE_STEPS: Partial<Record<"replace" | "remove-replaced", StepHandler>> = {
  replace: setAside,
  "remove-replaced": removeReplaced,
};
