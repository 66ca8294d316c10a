import { mkdir } from "node:fs/promises";
import { ModelboxDevError } from "../errors.js";
import type { ContainerEngine } from "../engine/types.js";
import type { AccessOutcome, EditorAccess, SshAccess } from "./access-report.js";
import { writeAccessRecord } from "./access-record.js";
import { installAuthorizedKeys } from "./authorized-keys.js";
import { developerModeState, editorUrl, enableDeveloperMode } from "./developer-mode.js";
import { editorClients } from "./editor-acl.js";
import { readHostKeys, writeKnownHosts } from "./host-keys.js";
import { httpGet } from "./http-probe.js";
import { environmentFiles, sshConfigPath } from "./paths.js";
import { rootHasPassword, setRootPassword } from "./root-password.js";
import { editSshConfig, hostAlias, withEntry } from "./ssh-config-block.js";
import { findSshClient } from "./ssh-client.js";
import { renderSshCommand, type SshTarget } from "./ssh-command.js";
import { type LoginKey, ensureGeneratedKey } from "./ssh-keys.js";
import { type ProcessRunner, canCheckKeyLogin, waitForKeyLogin } from "./wait-for-key-login.js";

export interface AccessSetupRequest {
  name: string;
  containerId: string;
  kind: "develop" | "runtime" | "unknown";
  /** Host ports by purpose. */
  ports: { ssh?: number; editor?: number; http?: number };
  /** The address printed for users (`--host-address`, or detected). */
  hostAddress: string;
  /** Where this host reaches the published ports (loopback for an all-interfaces bind). */
  connectAddress: string;
  /** The ports are on a remote host's loopback: ssh hops through this login (`-J`). */
  proxyJump?: string;
  /** Where this machine reaches the editor, when not at connectAddress (an SSH tunnel). */
  editorConnect?: { host: string; port: number };
  /** The container network's gateway: where a browser on this host arrives from. */
  gateway?: string;
  /** `--ssh-key`; without it the environment's generated key. */
  userKey?: LoginKey;
  password?: string;
  sshConfig: boolean;
  developerMode: boolean;
  editorAllow: string[];
  deadline: number;
  log: (line: string) => void;
  /** Tests: the ssh client to use (null: none installed) and the process runner. */
  sshClient?: string | null;
  run?: ProcessRunner;
}

async function hasSshd(engine: ContainerEngine, id: string): Promise<boolean> {
  const result = await engine.exec(id, [
    "sh",
    "-c",
    "command -v sshd >/dev/null 2>&1 || test -x /usr/sbin/sshd",
  ]);
  return result.exitCode === 0;
}

interface SshSetup {
  ssh: SshAccess;
  identityFile: string;
  knownHostsFile: string;
  notes: string[];
  warnings: string[];
}

/** Key for root, the environment's host keys, the password if asked, then a real key login. */
async function setUpSsh(
  engine: ContainerEngine,
  request: AccessSetupRequest,
  port: number,
): Promise<SshSetup> {
  const { name, containerId: id, log } = request;
  const files = environmentFiles(name);
  await mkdir(files.dir, { recursive: true, mode: 0o700 });
  // Independent steps run together: each exec into the container costs a round of API calls.
  const [key, hostKeys] = await Promise.all([
    request.userKey ?? ensureGeneratedKey(name),
    readHostKeys(engine, id),
  ]);
  log(
    `Installing ${key.source === "user" ? key.publicKeyFile : "the environment's SSH key"} for root…`,
  );
  await Promise.all([
    installAuthorizedKeys(engine, id, key.publicKeys),
    writeKnownHosts(files.knownHosts, name, hostKeys),
  ]);
  if (request.password !== undefined) {
    log("Setting root's password (over stdin)…");
    await setRootPassword(engine, id, request.password);
  }
  await writeAccessRecord(name, {
    identityFile: key.identityFile,
    generated: key.source === "generated",
  });
  const target: SshTarget = {
    host: request.connectAddress,
    port,
    user: "root",
    identityFile: key.identityFile,
    knownHostsFile: files.knownHosts,
    ...(request.proxyJump ? { proxyJump: request.proxyJump } : {}),
  };
  const notes: string[] = [];
  const warnings: string[] = [];
  const ssh = request.sshClient === undefined ? findSshClient() : request.sshClient;
  let check: SshAccess["check"] = "banner";
  if (!ssh) {
    warnings.push(
      "No ssh client on this host, so the key login was not tried (sshd answers); install OpenSSH's client to use 'modelbox-dev ssh'.",
    );
  } else if (!(await canCheckKeyLogin(key, request.run))) {
    notes.push(
      `The key login was not tried: ${key.identityFile} needs its passphrase (sshd answers and the key is installed).`,
    );
  } else {
    log(`Waiting for a key login as root on ${target.host}:${port}…`);
    await waitForKeyLogin({
      ssh,
      target,
      deadline: request.deadline,
      ...(request.run ? { run: request.run } : {}),
    });
    check = "key-login";
  }
  return {
    ssh: {
      host: request.hostAddress,
      port,
      user: "root",
      keyPath: key.identityFile,
      command: renderSshCommand({ ...target, host: request.hostAddress }),
      ready: true,
      check,
    },
    identityFile: key.identityFile,
    knownHostsFile: files.knownHosts,
    notes,
    warnings,
  };
}

async function setUpEditor(
  engine: ContainerEngine,
  request: AccessSetupRequest,
  port: number,
): Promise<{ editor: EditorAccess; notes: string[]; warnings: string[] }> {
  const url = editorUrl(request.hostAddress, port);
  const { containerId: id, name } = request;
  if (!request.developerMode) {
    const state = await developerModeState(engine, id);
    const at = request.editorConnect ?? { host: request.connectAddress, port };
    const answer = await httpGet(at.host, at.port, "/editor/", 1_000);
    return {
      editor: { url, ready: answer?.status === 200, developerMode: state },
      notes: [
        `Developer mode was left as it is (--no-develop-mode); 'modelbox-dev develop ${name}' turns it on.`,
      ],
      warnings: [],
    };
  }
  const outcome = await enableDeveloperMode(engine, id, {
    allow: editorClients({
      ...(request.gateway ? { gateway: request.gateway } : {}),
      hostAddress: request.hostAddress,
      extra: request.editorAllow,
    }),
    ...(request.gateway ? { clientAddress: request.gateway } : {}),
    editor: request.editorConnect ?? { host: request.connectAddress, port },
    deadline: request.deadline,
    log: request.log,
  });
  if (outcome.state === "no-modelbox-tool") {
    const message =
      "modelbox-tool is not in this image, so developer mode (the editor) was skipped; the environment is kept and works otherwise.";
    // Expected of an image that is not a ModelBox develop image; a problem in one that is.
    const develop = request.kind === "develop";
    return {
      editor: { url, ready: false, developerMode: outcome.state },
      notes: develop ? [] : [message],
      warnings: develop ? [message] : [],
    };
  }
  return {
    editor: { url, ready: outcome.ready, developerMode: outcome.state, allow: outcome.allow },
    notes: [],
    warnings: [],
  };
}

/**
 * Everything `up` does to make an environment usable once it answers: SSH login for root
 * (R10, R11), the managed ~/.ssh/config entry, developer mode (R12), and a readiness report.
 * A runtime image has neither sshd nor the editor: skipped with a note.
 */
export async function setUpAccess(
  engine: ContainerEngine,
  request: AccessSetupRequest,
): Promise<AccessOutcome> {
  const { name, containerId: id, ports } = request;
  const outcome: AccessOutcome = { notes: [], warnings: [] };
  const sshd =
    request.kind === "runtime" || ports.ssh === undefined
      ? false
      : request.kind === "develop" || (await hasSshd(engine, id));
  if (sshd && ports.ssh !== undefined) {
    const ssh = await setUpSsh(engine, request, ports.ssh);
    outcome.ssh = ssh.ssh;
    outcome.passwordSet =
      request.password !== undefined || (await rootHasPassword(engine, request.containerId));
    outcome.notes.push(...ssh.notes);
    outcome.warnings.push(...ssh.warnings);
    if (request.sshConfig) {
      await editSshConfig(sshConfigPath(), (text) =>
        withEntry(text, {
          name,
          // This host's own view: the address that reaches the port from here.
          hostName: request.connectAddress,
          port: ports.ssh ?? 22,
          user: "root",
          identityFile: ssh.identityFile,
          knownHostsFile: ssh.knownHostsFile,
          ...(request.proxyJump ? { proxyJump: request.proxyJump } : {}),
        }),
      );
      outcome.ssh.configHost = hostAlias(name);
    }
  } else {
    if (request.userKey || request.password !== undefined) {
      throw new ModelboxDevError(
        "NO_SSHD",
        `The image of ${name} has no sshd, so there is no SSH login to set up.`,
        "Leave out --ssh-key and --password-stdin, or use a develop image (runtime images have no sshd).",
      );
    }
    outcome.notes.push(
      request.kind === "runtime"
        ? "SSH keys and developer mode are skipped (a runtime image has no sshd and no editor)."
        : "SSH keys are skipped: the image has no sshd.",
    );
  }
  if (request.kind !== "runtime" && ports.editor !== undefined) {
    const editor = await setUpEditor(engine, request, ports.editor);
    outcome.editor = editor.editor;
    outcome.notes.push(...editor.notes);
    outcome.warnings.push(...editor.warnings);
  }
  if (ports.http !== undefined) {
    const answer = await httpGet(request.connectAddress, ports.http, "/health", 1_000);
    outcome.http = { port: ports.http, ready: answer !== undefined };
  }
  return outcome;
}
