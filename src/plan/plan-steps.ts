import { DEFAULT_EXECUTION, defaultAccess } from "./defaults.js";
import type {
  PlanAccess,
  PlanExecution,
  PlanImageKind,
  PlannedPort,
  PlannedVolume,
  PlanStep,
  StepId,
} from "./types.js";

/** The steps of `up`, in order, and the notes that say why some are left out. */
export interface StepsDecision {
  steps: PlanStep[];
  notes: string[];
}

interface StepInput {
  name: string;
  image: string;
  kind: PlanImageKind;
  ports: PlannedPort[];
  volumes: PlannedVolume[];
  access: PlanAccess;
  execution: PlanExecution;
}

const step = (id: StepId, phase: PlanStep["phase"], title: string, when?: string): PlanStep => ({
  id,
  phase,
  title,
  ...(when ? { when } : {}),
});

function pullTitle(image: string, execution: PlanExecution): string {
  const from =
    execution.registries.length > 0 ? ` from ${execution.registries.join(", then ")}` : "";
  if (execution.pull === "never") return `Check that ${image} is present (never pull)`;
  if (execution.pull === "always") return `Pull ${image}${from}`;
  return `Make sure ${image} is present (pull it${from} if missing)`;
}

function addressOf(port: PlannedPort): string {
  const host = port.hostIp === "" || port.hostIp === "0.0.0.0" ? "127.0.0.1" : port.hostIp;
  return `${host}:${port.hostPort}`;
}

/** The SSH steps: key, a real login with it, the ssh config entry, the password. */
function sshSteps(input: StepInput, ssh: PlannedPort, when?: string): PlanStep[] {
  const { name, access } = input;
  const key = access.sshKey ?? "the SSH key generated for this environment";
  const steps = [
    step("install-key", "after-start", `Install ${key} for root`, when),
    step(
      "verify-key-login",
      "after-start",
      `Log in as root with the key on ${addressOf(ssh)}`,
      when,
    ),
  ];
  if (access.sshConfig) {
    steps.push(
      step("ssh-config", "after-start", `Add Host ${name}.modelbox to ~/.ssh/config`, when),
    );
  }
  if (access.setPassword) {
    steps.push(step("set-password", "after-start", "Set root's password (over stdin)", when));
  }
  return steps;
}

function editorSteps(input: StepInput, editor: PlannedPort, when?: string): PlanStep[] {
  const allow = input.access.editorAllow.length
    ? `, admitting ${input.access.editorAllow.join(", ")} too`
    : "";
  return [
    step(
      "developer-mode",
      "after-start",
      `Turn on ModelBox developer mode (modelbox-tool develop -s)${allow}`,
      when,
    ),
    step(
      "wait-editor",
      "after-start",
      `Wait for the editor at http://${addressOf(editor)}/editor/`,
      when,
    ),
  ];
}

/**
 * Every step `up` takes for this plan, before and after start. A runtime image has no sshd and
 * no editor, so it gets none of their steps; an image of unknown kind gets them on condition.
 */
export function planSteps(input: StepInput): StepsDecision {
  const { name, image, execution } = input;
  const notes: string[] = [];
  const steps: PlanStep[] = [step("pull", "prepare", pullTitle(image, execution))];
  if (execution.recreate) {
    steps.push(
      step(
        "replace",
        "prepare",
        `Set the existing ${name} aside, if any: stopped and renamed, kept until the new one is ready (--recreate)`,
      ),
    );
  }
  steps.push(...containerSteps(input, notes));
  if (execution.recreate) {
    steps.push(
      step(
        "remove-replaced",
        "after-start",
        `Remove the old ${name} set aside (put back instead if any step fails)`,
      ),
    );
  }
  return { steps, notes };
}

/** Create, start and wait; then what a develop image needs: SSH login and the editor. */
function containerSteps(input: StepInput, notes: string[]): PlanStep[] {
  const { name, kind } = input;
  const steps: PlanStep[] = [];
  if (input.volumes.length > 0) {
    const which = input.volumes.map((v) => `${v.name} for ${v.target}`).join(", ");
    steps.push(
      step("volume", "create", `Use volume ${which} (made, and filled from the image, if new)`),
    );
  }
  steps.push(
    step("create", "create", `Create container ${name}`),
    step("start", "create", `Start ${name}`),
    step("wait-running", "create", "Wait until the container runs"),
  );
  const ssh = input.ports.find((p) => p.purpose === "ssh");
  const editor = input.ports.find((p) => p.purpose === "editor");
  if (kind === "runtime") {
    notes.push(
      "SSH keys and developer mode are skipped (a runtime image has no sshd and no editor).",
    );
    return steps;
  }
  const unknown = kind === "unknown";
  if (ssh) {
    if (!unknown) {
      steps.push(step("wait-sshd", "after-start", `Wait for sshd on ${addressOf(ssh)}`));
    }
    steps.push(...sshSteps(input, ssh, unknown ? "the image has sshd" : undefined));
  }
  if (editor && input.access.developerMode) {
    steps.push(...editorSteps(input, editor, unknown ? "the image has modelbox-tool" : undefined));
  } else if (editor) {
    notes.push(
      `Developer mode is left as it is (--no-develop-mode); 'modelbox-dev develop ${name}' turns it on.`,
    );
  }
  return steps;
}

export { DEFAULT_EXECUTION, defaultAccess };
