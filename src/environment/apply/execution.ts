import type { EditorAccess, HttpAccess, SshAccess } from "../../access/access-report.js";
import type { InstalledKey } from "../../access/ssh-setup.js";
import type { ContainerDetails } from "../../engine/types.js";
import type { HostFacts } from "../../host/facts.js";
import type { Plan } from "../../plan/types.js";
import type { ObtainedImage } from "../../registry/obtain-image.js";
import type { ResolvedContext } from "../operation.js";
import type { UpSecrets } from "../prepare-up.js";
import type { StepReport, UpAction } from "../types.js";
import type { EarlyWork } from "./early-work.js";
import type { SetAside } from "./replace-steps.js";

/**
 * What `up` learns while it carries out a plan (the plan itself never changes): the image it
 * got, the container it made, what the access steps found, and what to tell the user.
 */
export interface Execution {
  readonly plan: Plan;
  readonly facts: HostFacts;
  readonly ctx: ResolvedContext;
  readonly secrets: UpSecrets;
  readonly action: UpAction;
  /** The environment of this name before `up`. */
  readonly existing?: ContainerDetails;
  /** The existing environment has these options and is kept (start or report it). */
  readonly reuse: boolean;
  image?: ObtainedImage;
  /** Volumes this `up` made (a failure removes them with the container). */
  createdVolumes: string[];
  containerId?: string;
  container?: ContainerDetails;
  /** When the waits for the container (running, sshd) give up. */
  readinessDeadline?: number;
  /** The access steps' own time limit, counted from when the container answers. */
  accessDeadline?: number;
  /** Execs begun as soon as the container runs, for the steps and the report after it. */
  early: EarlyWork;
  /** The image has sshd / modelbox-tool (asked once, for images of unknown kind). */
  sshd?: boolean;
  installed?: InstalledKey;
  ssh?: SshAccess;
  editor?: EditorAccess;
  http?: HttpAccess;
  passwordSet?: boolean;
  /** `--recreate`: the old environment, set aside until the new one is ready. */
  replaced?: SetAside;
  /** A step failed and the container was kept (`--keep-on-failure`). */
  kept?: boolean;
  warnings: string[];
  notes: string[];
  reports: StepReport[];
}

/** The container as the access steps need it; inspected after it runs. */
export function runningContainer(x: Execution): ContainerDetails {
  if (!x.container) throw new Error(`up: no container for ${x.plan.name} yet`);
  return x.container;
}

export function accessDeadline(x: Execution): number {
  x.accessDeadline ??= Date.now() + x.plan.execution.timeoutSeconds * 1000;
  return x.accessDeadline;
}

/** Volumes this `up` made go when its container does (a first `up` leaves nothing behind). */
export async function removeCreatedVolumes(x: Execution): Promise<void> {
  for (const name of x.createdVolumes) {
    await x.ctx.engine.removeVolume(name).catch(() => undefined);
  }
}

/**
 * Stops the early work still going, and waits for what it writes on this host (the key's files)
 * to be written, so that `up` can put its files back. Commands already running in the container
 * are not waited for: the container is being removed, and the engine may never end them.
 */
export async function settleEarlyWork(x: Execution): Promise<void> {
  x.early.stop?.abort();
  await x.early.keyFiles?.catch(() => undefined);
}
