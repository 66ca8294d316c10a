import { ModelboxDevError } from "../../errors.js";
import { CONTAINER_PORTS } from "../../plan/options.js";

export interface PortPair {
  /** The port on this host's 127.0.0.1. */
  local: number;
  /** The port inside the environment (on its 127.0.0.1). */
  remote: number;
}

function invalid(text: string): ModelboxDevError {
  return new ModelboxDevError(
    "INVALID_PORT",
    `${JSON.stringify(text)} is not PORT or LOCAL:REMOTE (ports are 1-65535).`,
    "e.g. 'modelbox-dev forward mybox 6006' (TensorBoard), or '18080:8080' for another local port.",
  );
}

/** "PORT" forwards the same port number; "LOCAL:REMOTE" as in ssh -L. */
export function parsePortPair(text: string): PortPair {
  const match = /^(\d{1,5})(?::(\d{1,5}))?$/.exec(text);
  const local = Number(match?.[1]);
  const remote = match?.[2] === undefined ? local : Number(match[2]);
  if (!match || [local, remote].some((n) => n < 1 || n > 65535)) throw invalid(text);
  return { local, remote };
}

/** The URL to open for a forward: the editor's page for ModelBox's editor port, else "/". */
export function forwardUrl(pair: PortPair): string {
  const path = pair.remote === CONTAINER_PORTS.editor ? "/editor/" : "/";
  return `http://127.0.0.1:${pair.local}${path}`;
}

/** `ssh -L` for a pair: both ends on loopback, so nothing else can use the forward. */
export function localForwardSpec(pair: PortPair): string {
  return `127.0.0.1:${pair.local}:127.0.0.1:${pair.remote}`;
}
