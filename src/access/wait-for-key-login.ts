import { execFile } from "node:child_process";
import { ModelboxDevError } from "../errors.js";
import { pollUntil } from "../poll-until.js";
import type { LoginKey } from "./ssh-keys.js";
import { homeSshConfig } from "../home-ssh-config.js";
import { type SshTarget, sshDestination, sshOptions } from "./ssh-command.js";
import { controlPathFor, sharedLoginOptions } from "../ssh-shared-login.js";
import { jumpArgs, parseJump } from "./ssh-tunnel.js";

export interface ProcessOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program without a shell; never throws for a non-zero exit. */
export type ProcessRunner = (
  file: string,
  args: string[],
  options?: { timeoutMs?: number; input?: string },
) => Promise<ProcessOutcome>;

export const runProcess: ProcessRunner = (file, args, options = {}) =>
  new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      // SIGKILL on timeout: ssh can miss a SIGTERM, and this wait would then never end.
      { timeout: options.timeoutMs ?? 15_000, killSignal: "SIGKILL", maxBuffer: 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 255) : 0;
        resolve({ code, stdout, stderr: err && !stderr ? err.message : stderr });
      },
    );
    // A program that exits without reading its input closes the pipe first: that EPIPE is not
    // its outcome (the exit code is), and unhandled it would end the whole process.
    child.stdin?.on("error", () => undefined);
    child.stdin?.end(options.input ?? "");
  });

/** The first pause between login attempts; each next one is longer (up to MAX_POLL_MS). */
const POLL_MS = 50;
const MAX_POLL_MS = 500;
/** sshd refusing the key is not a boot-time state: give up on it after this long. */
const DENIED_GRACE_MS = 5_000;

/**
 * Whether a login with this key can be checked without asking anyone: the generated key always;
 * a user's key when its private half has no passphrase or the agent holds it.
 */
export async function canCheckKeyLogin(
  key: LoginKey,
  run: ProcessRunner = runProcess,
): Promise<boolean> {
  if (key.source === "generated") return true;
  if (key.identityFile !== key.publicKeyFile) {
    const unlocked = await run("ssh-keygen", ["-y", "-P", "", "-f", key.identityFile]);
    if (unlocked.code === 0) return true;
  }
  if (!process.env.SSH_AUTH_SOCK) return false;
  const agent = await run("ssh-add", ["-L"]);
  const blobs = key.publicKeys.map((k) => k.split(/\s+/)[1]);
  return agent.code === 0 && blobs.some((b) => b !== undefined && agent.stdout.includes(b));
}

/**
 * `ssh -W` through the jump host, as ProxyJump would run it, with $HOME's ssh config; over the
 * ssh:// engine's shared login when there is one (a stdio forward ends with its session). The
 * command is a shell line: a control path with characters the shell would read is not shared.
 */
export function jumpCommand(jump: string): string {
  const config = homeSshConfig();
  const controlPath = controlPathFor(parseJump(jump), config);
  const shared = controlPath && /^[\w./-]+$/.test(controlPath) ? controlPath : undefined;
  return [
    "ssh",
    ...(config ? ["-F", config] : []),
    ...(shared ? sharedLoginOptions(shared) : []),
    "-o",
    "BatchMode=yes",
    "-W",
    "[%h]:%p",
    ...jumpArgs(jump),
  ].join(" ");
}

/**
 * The ssh arguments of one non-interactive login attempt that runs `true`; `kex`: the key
 * exchanges to offer (see login-check-kex.ts), else the client's defaults.
 */
export function keyLoginArgs(target: SshTarget, kex?: string): string[] {
  return [
    // Only our options: a user's ~/.ssh/config must not change what is being checked.
    "-F",
    "/dev/null",
    "-o",
    "BatchMode=yes",
    "-o",
    "ConnectTimeout=5",
    "-o",
    "StrictHostKeyChecking=yes",
    "-o",
    "GlobalKnownHostsFile=/dev/null",
    "-o",
    "LogLevel=ERROR",
    ...(kex ? ["-o", `KexAlgorithms=${kex}`] : []),
    // The hop to the engine's host is the user's own login there: their ssh config applies.
    ...(target.proxyJump ? ["-o", `ProxyCommand=${jumpCommand(target.proxyJump)}`] : []),
    ...sshOptions({ ...target, proxyJump: undefined }),
    sshDestination(target),
    "true",
  ];
}

function lastLine(text: string): string {
  return (
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== "")
      .pop() ?? ""
  );
}

/**
 * ssh's verdict on one attempt: logged in (undefined), worth another try (what ssh said last), or
 * a refusal that will not go away (thrown).
 */
function judgeAttempt(
  attempt: ProcessOutcome,
  where: string,
  denied: { since?: number; graceMs: number },
): string | undefined {
  if (attempt.code === 0) return undefined;
  const last = lastLine(attempt.stderr) || `ssh exited with ${attempt.code}`;
  if (/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/i.test(attempt.stderr)) {
    throw new ModelboxDevError(
      "KEY_LOGIN_FAILED",
      `sshd on ${where} presented a host key other than the environment's own.`,
      "Another sshd may hold this port, or sshd uses host keys outside /etc/ssh/ssh_host_*_key; check with 'modelbox-dev exec NAME -- sshd -T | grep hostkey'.",
      { details: [`ssh said: ${last}`] },
    );
  }
  if (!/Permission denied/i.test(attempt.stderr)) {
    denied.since = undefined;
    return last;
  }
  denied.since ??= Date.now();
  if (Date.now() - denied.since > denied.graceMs) {
    throw new ModelboxDevError(
      "KEY_LOGIN_FAILED",
      `sshd on ${where} refuses the key login as root.`,
      "sshd must allow it: 'PermitRootLogin yes' (or prohibit-password) and 'PubkeyAuthentication yes'; check with 'modelbox-dev exec NAME -- sshd -T'.",
      { details: [`ssh said: ${last}`] },
    );
  }
  return last;
}

/**
 * Polls until `ssh … true` succeeds with the key: the proof that a user can log in, which the
 * SSH banner alone is not (sshd answers before keys, permissions or PAM are right).
 */
export async function waitForKeyLogin(options: {
  ssh: string;
  target: SshTarget;
  deadline: number;
  run?: ProcessRunner;
  pollMs?: number;
  deniedGraceMs?: number;
  signal?: AbortSignal;
  /** The key exchanges to offer first (login-check-kex.ts); dropped if sshd takes none of them. */
  kex?: string;
}): Promise<void> {
  const run = options.run ?? runProcess;
  const where = `${options.target.host}:${options.target.port}`;
  const denied: { since?: number; graceMs: number } = {
    graceMs: options.deniedGraceMs ?? DENIED_GRACE_MS,
  };
  let last = "";
  let kex = options.kex;
  // Built once (the hop's control path is looked up and its directory made): again only if the
  // key exchanges change.
  let args = keyLoginArgs(options.target, kex);
  await pollUntil(
    async () => {
      const attempt = await run(options.ssh, args, { timeoutMs: 15_000 });
      // An sshd older than every listed exchange: the client's own defaults from now on.
      if (kex && /no matching key exchange method/i.test(attempt.stderr)) {
        kex = undefined;
        args = keyLoginArgs(options.target, kex);
        return undefined;
      }
      const verdict = judgeAttempt(attempt, where, denied);
      if (verdict === undefined) return true;
      last = verdict;
      return undefined;
    },
    {
      deadline: options.deadline,
      // Short at first (a login usually works soon after the banner), then backing off.
      intervalMs: options.pollMs ?? POLL_MS,
      backoff: 1.5,
      maxIntervalMs: Math.max(options.pollMs ?? 0, MAX_POLL_MS),
      ...(options.signal ? { signal: options.signal } : {}),
      onTimeout: () =>
        new ModelboxDevError(
          "READINESS_TIMEOUT",
          `Timed out waiting for a key login as root on ${where}.`,
          "sshd may still be starting: raise --timeout, or look at the details below.",
          { details: [`last ssh error: ${last}`] },
        ),
    },
  );
}
