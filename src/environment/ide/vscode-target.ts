import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ModelboxDevError } from "../../errors.js";

/** VS Code's Remote - SSH extension (what `code --remote ssh-remote+…` needs). */
export const REMOTE_SSH_EXTENSION = "ms-vscode-remote.remote-ssh";

/** The remote authority VS Code's Remote - SSH uses for a ~/.ssh/config host. */
export function remoteAuthority(host: string): string {
  return `ssh-remote+${host}`;
}

/** `code --remote ssh-remote+HOST PATH`: the command that opens PATH on HOST. */
export function codeCommand(host: string, path: string): string[] {
  return ["code", "--remote", remoteAuthority(host), path];
}

/** The same as a link a browser or `xdg-open` hands to VS Code. */
export function vscodeUrl(host: string, path: string): string {
  return `vscode://vscode-remote/${remoteAuthority(host)}${path}`;
}

/** A folder in the environment; VS Code needs an absolute one. */
export function checkRemotePath(path: string | undefined): string {
  const folder = path ?? "/root";
  if (!folder.startsWith("/")) {
    throw new ModelboxDevError(
      "INVALID_OPTION",
      `${JSON.stringify(folder)} is not an absolute path in the environment.`,
      `Give the folder from /, e.g. '/root/${folder}'.`,
    );
  }
  return folder;
}

/** Where VS Code (and its Insiders and OSS builds) keep user extensions. */
const EXTENSION_DIRS = [".vscode", ".vscode-insiders", ".vscode-oss"].map((d) =>
  join(d, "extensions"),
);

/**
 * Whether the Remote - SSH extension looks installed for this user (its folder is
 * `ms-vscode-remote.remote-ssh-<version>`). A guess: portable installs keep extensions
 * elsewhere, so a miss is a warning, never an error.
 */
export function remoteSshInstalled(home: string): boolean {
  const pattern = new RegExp(`^${REMOTE_SSH_EXTENSION.replace(/\./g, "\\.")}-\\d`);
  return EXTENSION_DIRS.some((dir) => {
    const path = join(home, dir);
    return existsSync(path) && readdirSync(path).some((entry) => pattern.test(entry));
  });
}

export function vscodeMissing(host: string, path: string): ModelboxDevError {
  return new ModelboxDevError(
    "VSCODE_MISSING",
    "VS Code's 'code' command was not found on PATH.",
    `Install VS Code (https://code.visualstudio.com/) and its Remote - SSH extension ('code --install-extension ${REMOTE_SSH_EXTENSION}'); on macOS, run "Shell Command: Install 'code' command in PATH" from VS Code's command palette. Or, in VS Code: Remote-SSH: Connect to Host… → ${host}, or open ${vscodeUrl(host, path)}.`,
  );
}
