import { dockerRunArgs, SCRIPT_VARIABLES } from "./docker-run-args.js";
import { OPTION_EXPLANATIONS } from "./explain-options.js";
import { renderManualSteps } from "./render-manual-steps.js";
import { shellQuote, shellWord } from "./shell-quote.js";
import type { Plan } from "./types.js";

export interface ScriptOptions {
  explain?: boolean;
  toolVersion?: string;
}

const VOLUME = SCRIPT_VARIABLES.homeVolume;

function homeVolumeLines(plan: Plan): string[] {
  const volume = plan.volumes[0];
  if (!volume) return [];
  const prefix = volume.name.slice(0, volume.name.length - plan.name.length);
  return [
    `# volume that keeps ${volume.target} (root's home) when the container is re-created`,
    `${VOLUME}="${prefix}\${${SCRIPT_VARIABLES.name}}"`,
    "",
  ];
}

/** The volume, created with the labels that say whose it is (nothing happens if it exists). */
function createVolumeLines(plan: Plan): string[] {
  const volume = plan.volumes[0];
  if (!volume) return [];
  const labels = Object.entries(volume.labels).map(([key, value]) =>
    shellWord(
      key.endsWith(".name") && value === plan.name
        ? [`${key}=`, { variable: SCRIPT_VARIABLES.name }]
        : [`${key}=${value}`],
    ),
  );
  return [
    `docker volume create ${labels.map((l) => `--label ${l}`).join(" ")} "\${${VOLUME}}" >/dev/null`,
  ];
}

/** `--env NAME` takes the value from this shell: refuse to run without it (never write it). */
function userEnvChecks(plan: Plan): string[] {
  const names = plan.userEnv?.flagNames ?? [];
  if (names.length === 0) return [];
  const lines = [
    "# variables passed by name (--env): export them before running; their values are not written here",
  ];
  for (const name of names) {
    lines.push(
      /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)
        ? `: "\${${name}?export ${name} before running this script}"`
        : `# ${name.replace(/[\r\n]+/g, " ")} (export it by other means: it is not a shell name)`,
    );
  }
  lines.push("");
  return lines;
}

/**
 * The seed's one-click script for a plan: the values a user edits at the top, then one
 * `docker run`. With `explain`, every option carries a comment saying what it does and why, and
 * the steps `up` takes after start follow as the commands a user would run by hand (comments).
 */
export function renderShellScript(plan: Plan, options: ScriptOptions = {}): string {
  const lines: string[] = [
    "#!/bin/bash",
    `# ModelBox development environment, planned by modelbox-dev${options.toolVersion ? ` ${options.toolVersion}` : ""}.`,
    "# Edit the values marked [modify], then run: bash start_docker.sh",
    "set -euo pipefail",
    "",
  ];
  const portVar = (purpose: "ssh" | "editor" | "http", comment: string) => {
    const port = plan.ports.find((p) => p.purpose === purpose);
    if (!port) return;
    lines.push(`# ${comment} [modify]`, `${SCRIPT_VARIABLES[purpose]}=${port.hostPort}`, "");
  };
  portVar("ssh", "ssh map port");
  portVar("editor", "editor map port");
  portVar("http", "http server port");
  lines.push("# container name [modify]", `${SCRIPT_VARIABLES.name}=${shellQuote(plan.name)}`, "");
  lines.push("# image name", `${SCRIPT_VARIABLES.image}=${shellQuote(plan.image)}`, "");
  lines.push(...homeVolumeLines(plan), ...userEnvChecks(plan));
  // Texts can carry host-provided strings (facts files): a line break must not end the comment.
  const oneLine = (text: string) => text.replace(/[\r\n]+/g, " ");
  for (const w of plan.warnings) lines.push(`# warning: ${oneLine(w.message)}`);
  if (options.explain) for (const n of plan.notes) lines.push(`# note: ${oneLine(n)}`);
  if (plan.warnings.length > 0 || (options.explain && plan.notes.length > 0)) lines.push("");

  lines.push("docker_args=(");
  let previous: string | undefined;
  for (const arg of dockerRunArgs(plan)) {
    // One comment per run of the same kind of option (three --tmpfs share one).
    if (options.explain && arg.explain !== previous)
      lines.push(`  # ${OPTION_EXPLANATIONS[arg.explain]}`);
    previous = arg.explain;
    lines.push(`  ${arg.words.map(shellWord).join(" ")}`);
  }
  lines.push(")");
  lines.push(...createVolumeLines(plan));
  lines.push(`docker run "\${docker_args[@]}" "\${${SCRIPT_VARIABLES.image}}"`);
  if (options.explain) lines.push(...renderManualSteps(plan));
  return `${lines.join("\n")}\n`;
}
