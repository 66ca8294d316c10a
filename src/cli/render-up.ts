import type { UpResult } from "../environment/types.js";
import { printLine } from "./output.js";
import { settingsLines } from "./render-settings.js";

const VERB = {
  created: "created and running",
  recreated: "recreated and running",
  started: "started",
  "already-running": "already running",
} as const;

/** How to log in, the password state, the editor: what the access steps found. */
export function accessLines(result: UpResult): string[] {
  const lines: string[] = [];
  const { ssh, editor, name } = result;
  if (ssh?.check) {
    const checked = ssh.check === "key-login" ? "key login verified" : "sshd answers";
    if (ssh.configHost) {
      lines.push(`  login   ssh ${ssh.configHost}   (~/.ssh/config entry; ${checked})`);
      lines.push(`          ${ssh.command}`);
    } else lines.push(`  login   ${ssh.command}   (${checked})`);
    if (result.passwordSet === true) {
      lines.push("  root    has a password (password login works too)");
    } else if (result.passwordSet === false) {
      lines.push(
        `  root    no password (key login only); set one with 'modelbox-dev passwd ${name}'`,
      );
    }
  }
  if (editor?.ready !== undefined) {
    if (editor.ready) {
      const allow = editor.allow?.length ? `; the editor admits ${editor.allow.join(", ")}` : "";
      lines.push(`  develop on: ${editor.url} answers${allow}`);
    } else if (editor.developerMode !== "no-modelbox-tool") {
      lines.push(`  develop off: 'modelbox-dev develop ${name}' turns it on`);
    }
  }
  return lines;
}

/** The editor on a remote host's loopback: the command that brings it here. */
export function forwardNote(editor: { forward?: string }): string {
  return editor.forward
    ? `   (on the engine's host's loopback: run '${editor.forward}' to reach it from here)`
    : "";
}

/** `up` for people: what happened, how to reach it, notes and warnings. */
export function renderUp(result: UpResult): void {
  printLine(`${result.name} is ${VERB[result.action]} (${result.id.slice(0, 12)})`);
  printLine(`  image   ${result.image}`);
  if (result.editor) printLine(`  editor  ${result.editor.url}${forwardNote(result.editor)}`);
  if (result.http?.containerPort !== undefined) {
    printLine(`  http    port ${result.http.port} → container port ${result.http.containerPort}`);
  }
  for (const line of settingsLines(result.settings)) printLine(line);
  for (const line of accessLines(result)) printLine(line);
  for (const note of result.notes) printLine(`note: ${note}`);
  for (const w of result.warnings) printLine(`warning: ${w}`);
}
