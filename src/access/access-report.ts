import type { DeveloperModeState } from "./developer-mode.js";

/** What the access steps found, merged by the CLI into `ssh` / `editor` / `http` of --json. */
export interface SshAccess {
  host: string;
  port: number;
  user: string;
  /** The key `-i` names (absent: none is known, e.g. an environment `up` did not set up). */
  keyPath?: string;
  command: string;
  /** `ssh <configHost>` works through the managed ~/.ssh/config entry. */
  configHost?: string;
  /** sshd answered: a key login succeeded (`check: "key-login"`) or its banner arrived. */
  ready: boolean;
  check: "key-login" | "banner";
}

export interface EditorAccess {
  url: string;
  /** `GET /editor/` answered 200 from this host. */
  ready: boolean;
  developerMode?: DeveloperModeState;
  /** The server's `[acl] allow` list, when it was just set up. */
  allow?: string[];
  /** A systemd unit in the container starts the server at boot (the editor survives restarts). */
  startsAtBoot?: boolean;
}

export interface HttpAccess {
  port: number;
  /** Something answered HTTP on the port (the HTTP flowunit runs only once a graph uses it). */
  ready: boolean;
}

export interface AccessOutcome {
  ssh?: SshAccess;
  editor?: EditorAccess;
  http?: HttpAccess;
  /** Root has a password (set now, or before); undefined when unknown or without sshd. */
  passwordSet?: boolean;
  notes: string[];
  warnings: string[];
}
