import { spawn } from "node:child_process";
import { homedir } from "node:os";
import { sshConfigPath } from "../../access/paths.js";
import { findOnPath } from "../../find-on-path.js";
import { hasEntry, hostAlias, readSshConfig, renderEntry } from "../../access/ssh-config-block.js";
import type { SshTarget } from "../../access/ssh-command.js";
import { ModelboxDevError } from "../../errors.js";
import { type OperationContext, resolveContext } from "../operation.js";
import { resolveSshTarget } from "../ssh-target.js";
import {
  REMOTE_SSH_EXTENSION,
  checkRemotePath,
  codeCommand,
  remoteSshInstalled,
  vscodeMissing,
  vscodeUrl,
} from "./vscode-target.js";

export interface OpenInVsCodeOptions {
  name: string;
  /** The folder to open in the environment (default /root). */
  path?: string;
  /** Only say how: return the command and the URL without running anything. */
  print?: boolean;
}

/** What `code --json` prints. */
export interface OpenInVsCodeResult {
  ok: true;
  name: string;
  /** The ~/.ssh/config host VS Code connects to. */
  host: string;
  path: string;
  command: string[];
  url: string;
  opened: boolean;
  warnings: string[];
}

function noEntry(name: string, target: SshTarget): ModelboxDevError {
  const lines = renderEntry({ name, hostName: target.host, ...target });
  return new ModelboxDevError(
    "NO_SSH_CONFIG_ENTRY",
    `~/.ssh/config has no entry for ${hostAlias(name)}, which VS Code's Remote - SSH connects through.`,
    `Run the 'modelbox-dev up ${name} …' that created it again without --no-ssh-config (it writes the entry and changes nothing else), or add the lines above to ~/.ssh/config.`,
    { details: lines },
  );
}

function runCode(program: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: "inherit", env });
    child.on("error", reject);
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

/**
 * `modelbox-dev code NAME [PATH]`: opens the environment's folder in VS Code over Remote - SSH,
 * through the managed ~/.ssh/config entry (so VS Code uses the environment's key and host keys).
 */
export async function openInVsCode(
  options: OpenInVsCodeOptions,
  context?: OperationContext,
): Promise<OpenInVsCodeResult> {
  const env = process.env;
  const path = checkRemotePath(options.path);
  const { details, target } = await resolveSshTarget(resolveContext(context).engine, options.name);
  const host = hostAlias(details.name);
  if (!hasEntry(await readSshConfig(sshConfigPath()), details.name)) {
    throw noEntry(details.name, target);
  }
  const command = codeCommand(host, path);
  const result: OpenInVsCodeResult = {
    ok: true,
    name: details.name,
    host,
    path,
    command,
    url: vscodeUrl(host, path),
    opened: false,
    warnings: [],
  };
  if (options.print) return result;
  const code = findOnPath("code", env);
  if (!code) throw vscodeMissing(host, path);
  if (!remoteSshInstalled(env.HOME ?? homedir())) {
    result.warnings.push(
      `VS Code's Remote - SSH extension was not found; install it with 'code --install-extension ${REMOTE_SSH_EXTENSION}'.`,
    );
  }
  const status = await runCode(code, command.slice(1), env);
  if (status !== 0) {
    throw new ModelboxDevError(
      "VSCODE_FAILED",
      `'${command.join(" ")}' exited with status ${status}.`,
      `Open it from VS Code instead: Remote-SSH: Connect to Host… → ${host}.`,
    );
  }
  return { ...result, opened: true };
}
