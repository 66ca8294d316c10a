import { ModelboxDevError } from "../../errors.js";
import { EngineCallError } from "../types.js";
import { SshDialError } from "./ssh-stdio.js";

interface DockerodeError {
  statusCode?: number;
  code?: string;
  json?: { message?: string } | null;
  reason?: string;
  message?: string;
}

function asDockerodeError(err: unknown): DockerodeError {
  return typeof err === "object" && err !== null ? err : { message: String(err) };
}

export function statusCodeOf(err: unknown): number | undefined {
  return asDockerodeError(err).statusCode;
}

/** The daemon's own sentence, without dockerode's "(HTTP code 500) server error -" prefix. */
export function daemonMessageOf(err: unknown): string {
  const e = asDockerodeError(err);
  if (e.json && typeof e.json.message === "string" && e.json.message.trim()) return e.json.message;
  const text = (e.message ?? String(err)).replace(/^\(HTTP code \d+\)[^-]*- /, "").trim();
  // Some answers have no body (304, some 5xx through proxies): dockerode's reason still says what.
  if (text) return text;
  const status = e.statusCode === undefined ? "" : ` (HTTP ${e.statusCode})`;
  return `${e.reason ?? "the engine refused without a reason"}${status}`;
}

const unreachableCodes = new Set([
  "ENOENT",
  "ECONNREFUSED",
  "EACCES",
  "ECONNRESET",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

function sshFailure(err: SshDialError, endpoint: string): ModelboxDevError {
  if (err.code === "ENOENT") {
    return new ModelboxDevError(
      "ENGINE_UNAVAILABLE",
      err.message,
      "Install the OpenSSH client (e.g. 'apt-get install openssh-client'), or use a tcp:// engine.",
      { cause: err },
    );
  }
  const text = err.message;
  const hint = /docker: (command )?not found|No such file or directory/i.test(text)
    ? "The docker CLI must be installed on the engine's host: ssh:// engines run 'docker system dial-stdio' there."
    : /Permission denied|publickey|Host key verification failed/i.test(text)
      ? "Log in with a key or an agent (modelbox-dev never asks for a password here): try 'ssh HOST docker version' by hand, add the key with ssh-copy-id, and accept the host key once."
      : "Check that 'ssh HOST docker version' works from this machine.";
  return new ModelboxDevError(
    "ENGINE_UNAVAILABLE",
    `Cannot reach the engine at ${endpoint} over ssh: ${text.split("\n").slice(-3).join(" ").trim()}`,
    hint,
    { cause: err },
  );
}

/** TLS refusals (untrusted or wrong certificates) come back as these codes from Node. */
function isTlsFailure(code: string | undefined): boolean {
  return (
    code !== undefined && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL|EPROTO/.test(code)
  );
}

/** Turns "cannot even talk to the engine" into one clear error; anything else is returned as is. */
export function translateConnectionError(err: unknown, endpoint: string): unknown {
  if (err instanceof SshDialError) return sshFailure(err, endpoint);
  const e = asDockerodeError(err);
  if (isTlsFailure(e.code)) {
    return new ModelboxDevError(
      "ENGINE_UNAVAILABLE",
      `The TLS connection to the engine at ${endpoint} failed (${e.code}: ${e.message ?? ""}).`,
      "Check DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem) or the context's TLS files, and that the daemon's certificate names this host" +
        (/SELF_SIGNED|UNABLE_TO_(VERIFY_LEAF|GET_ISSUER)/.test(e.code ?? "")
          ? "; without a ca.pem there, the CA that signed it must be one this host trusts (NODE_EXTRA_CA_CERTS names one more)."
          : "."),
      { cause: err },
    );
  }
  if (e.code && unreachableCodes.has(e.code)) {
    const permission = e.code === "EACCES";
    return new ModelboxDevError(
      "ENGINE_UNAVAILABLE",
      permission
        ? `Permission denied on the container engine at ${endpoint}.`
        : `Cannot reach a container engine at ${endpoint} (${e.code}).`,
      permission
        ? "Add your user to the 'docker' group (then log in again), or run with sudo."
        : endpoint.startsWith("unix://")
          ? "Is Docker installed and running? Try 'sudo systemctl start docker' (or 'dockerd &'); for Podman, 'systemctl enable --now podman.socket'; choose another engine with --host, --context or DOCKER_HOST."
          : `Is the engine's host up, and does its daemon listen at ${endpoint}? Choose another engine with --host, --context or DOCKER_HOST.`,
      { cause: err },
    );
  }
  return err;
}

/** Any failure of an engine call as one of ours: ENGINE_UNAVAILABLE, or the daemon's sentence. */
export function wrapError(err: unknown, endpoint: string): Error {
  const translated = translateConnectionError(err, endpoint);
  if (translated instanceof ModelboxDevError) return translated;
  if (err instanceof ModelboxDevError) return err;
  return new EngineCallError(daemonMessageOf(err), statusCodeOf(err));
}
